/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit tests of simnic_pf: a VF of a PF that has no device behind it. The tests are
 * built only with CONFIG_SIMNIC_KUNIT_TEST (make modules-kunit: the debug kernel),
 * #included at the end of the file they test, so that they reach its static functions
 * and the module exports nothing more.
 */
#ifndef _SIMNIC_PF_TEST_H_
#define _SIMNIC_PF_TEST_H_

#include <kunit/test.h>
#include "simnic_pf.h"

struct simnic_pf_test {
	struct pci_dev pdev;		/* for dev_*() logs only */
	struct simnic_pf pf;
	struct simnic_pf_vf vf;
	struct simnic_mbx_msg msg;	/* pf->msg: the message just read */
};

/* VF 2 (VSI 3) with 4 queue pairs, untrusted, before VERSION. Code that would touch
 * the device (pf->fn, vf->fn) must not be reached: they are NULL. The tests' log lines
 * ("simnic_pf-kunit: VF 2: ...") come every time kunit.sh loads the build/kunit module:
 * they name a device and a VF that the selftests, which grep the kernel log for VF 0
 * and 1, do not.
 */
static inline struct simnic_pf_vf *simnic_pf_test_vf(struct kunit *test)
{
	struct simnic_pf_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->pdev.dev.init_name = "simnic_pf-kunit";
	t->pf.pdev = &t->pdev;
	mutex_init(&t->pf.lock);
	spin_lock_init(&t->pf.health.lock);
	t->pf.msg = &t->msg;
	t->pf.mbx_penalty_ms = SIMNIC_PF_MBX_PENALTY_MS;
	t->msg.opcode = VIRTCHNL_OP_GET_STATS;
	t->msg.len = sizeof(struct virtchnl_queue_select);
	t->pf.vfs = &t->vf;
	t->pf.num_vfs = 1;
	t->vf.pf = &t->pf;
	t->vf.id = 2;
	t->vf.num_qps = 4;
	t->vf.state = SIMNIC_PF_VF_STATE_RESET;
	INIT_LIST_HEAD(&t->vf.delayed);
	INIT_LIST_HEAD(&t->vf.held);
	return &t->vf;
}

#define SIMNIC_PF_TEST_VSI	3

#endif /* _SIMNIC_PF_TEST_H_ */
