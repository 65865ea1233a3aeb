/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_pf: the PF driver, in the manner of ice */
#ifndef _SIMNIC_PF_H_
#define _SIMNIC_PF_H_

#include <linux/if_ether.h>
#include <linux/avf/virtchnl.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <simnic/simnic_hw_if.h>

#define SIMNIC_PF_DRV_NAME	"simnic_pf"
#define SIMNIC_PF_VEC_RX	1
#define SIMNIC_PF_MAX_MTU	9000

enum simnic_pf_vf_state {
	SIMNIC_VF_STATE_RESET,		/* waiting for VERSION */
	SIMNIC_VF_STATE_VERSION,	/* version agreed, waiting for GET_VF_RESOURCES */
	SIMNIC_VF_STATE_ACTIVE,		/* resources given: any allowed opcode */
};

struct simnic_pf_vf {
	struct simnic_pf *pf;
	struct simnic_fn *fn;
	u16 id;
	u16 num_qps;			/* queue pairs granted */
	u16 ring_len[SIMNIC_MAX_QUEUES];	/* from CONFIG_VSI_QUEUES */
	enum simnic_pf_vf_state state;
	struct virtchnl_version_info ver;
	u32 caps;			/* negotiated VIRTCHNL_VF_* flags */
	u8 mac[ETH_ALEN];
};

struct simnic_pf {
	struct pci_dev *pdev;
	struct simnic_fn *fn;
	struct net_device *netdev;
	struct napi_struct napi;

	/* lock protects vfs, num_vfs and every VF's state, and serialises the
	 * service task (virtchnl, VF resets) with SR-IOV changes and ndo_*_vf ops.
	 */
	struct mutex lock;
	struct simnic_pf_vf *vfs;
	u16 num_vfs;

	struct work_struct service_task;
	struct simnic_mbx_msg *msg;	/* receive buffer, used by service_task only */
	bool link_up;			/* last link state told to the VFs, under lock */
};

static inline struct simnic_pf *simnic_netdev_to_pf(const struct net_device *netdev)
{
	return netdev->ml_priv;
}

/* simnic_pf_netdev.c */
int simnic_pf_netdev_create(struct simnic_pf *pf);
void simnic_pf_netdev_destroy(struct simnic_pf *pf);
void simnic_pf_link_update(struct simnic_pf *pf);

/* simnic_pf_sriov.c */
int simnic_pf_sriov_configure(struct pci_dev *pdev, int num_vfs);
void simnic_pf_sriov_disable(struct simnic_pf *pf);
void simnic_pf_reset_vf(struct simnic_pf_vf *vf);
void simnic_pf_handle_vflr(struct simnic_pf *pf);
int simnic_pf_get_vf_config(struct net_device *netdev, int vf_id,
			    struct ifla_vf_info *ivi);

/* simnic_pf_virtchnl.c */
void simnic_pf_process_mailboxes(struct simnic_pf *pf);
void simnic_pf_notify_link(struct simnic_pf_vf *vf);

#endif /* _SIMNIC_PF_H_ */
