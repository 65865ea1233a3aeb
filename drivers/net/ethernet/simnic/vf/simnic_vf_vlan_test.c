// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of simnic_vf_vlan.c, #included at its end with CONFIG_SIMNIC_KUNIT_TEST
 * (make modules-kunit: the debug kernel): the VLAN filter state machine driven by the
 * PF's replies, timeouts and resets, the fit to a smaller limit, the batching of
 * V2 adds, and the messages the VF builds. The VF has no device and no netdev: nothing
 * here sends or waits.
 */
#include <kunit/test.h>
#include <linux/if_vlan.h>

#define SIMNIC_VF_TEST_VSI	3

static struct simnic_vf *simnic_vf_test_vf(struct kunit *test, enum simnic_vf_vlan_proto proto,
					   u16 vlan_max)
{
	struct simnic_vf *vf;

	vf = kunit_kzalloc(test, sizeof(*vf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vf);
	mutex_init(&vf->lock);
	INIT_LIST_HEAD(&vf->vlan.list);
	INIT_LIST_HEAD(&vf->vlan.waiters);
	init_waitqueue_head(&vf->vc.wq);
	vf->vlan.proto = proto;
	vf->vlan.max = vlan_max;
	vf->vc.vsi_id = SIMNIC_VF_TEST_VSI;
	return vf;
}

/* Append a filter in @state; the list owns it (simnic_vf_vlan_free_all() frees it) */
static void simnic_vf_test_vlan(struct kunit *test, struct simnic_vf *vf, u16 vid,
				enum simnic_vf_vlan_state state, bool wanted)
{
	struct simnic_vf_vlan *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->vid = vid;
	f->state = state;
	f->wanted = wanted;
	list_add_tail(&f->list, &vf->vlan.list);
}

/* The state of @vid, -1 if it is not in the list */
static int simnic_vf_test_state(struct simnic_vf *vf, u16 vid)
{
	struct simnic_vf_vlan *f;

	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->vid == vid)
			return f->state;
	return -1;
}

static unsigned int simnic_vf_test_count(struct simnic_vf *vf)
{
	struct simnic_vf_vlan *f;
	unsigned int n = 0;

	list_for_each_entry(f, &vf->vlan.list, list)
		n++;
	return n;
}

static void simnic_vf_test_reply(struct simnic_vf *vf, u32 op, int status)
{
	mutex_lock(&vf->lock);
	simnic_vf_vlan_reply(vf, op, status);
	mutex_unlock(&vf->lock);
}

/* KUnit frees the VF itself; the filters in its list are ours to free */
static void simnic_vf_test_exit(struct kunit *test)
{
	if (test->priv)
		simnic_vf_vlan_free_all(test->priv);
}

/* A VF whose filters are freed when the test ends or makes its next VF */
static struct simnic_vf *simnic_vf_test_init_vf(struct kunit *test,
						enum simnic_vf_vlan_proto proto, u16 vlan_max)
{
	simnic_vf_test_exit(test);
	test->priv = simnic_vf_test_vf(test, proto, vlan_max);
	return test->priv;
}

/* A bare netdev for the ndo_vlan_rx_*_vid calls: only its ml_priv is used */
static struct net_device *simnic_vf_test_netdev(struct kunit *test, struct simnic_vf *vf)
{
	struct net_device *netdev;

	netdev = kunit_kzalloc(test, sizeof(*netdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, netdev);
	netdev->ml_priv = vf;
	return netdev;
}

/* ADD confirmed: wanted filters are ACTIVE, those killed meanwhile go to REMOVE */
static void simnic_vf_vlan_add_ok(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);

	simnic_vf_test_vlan(test, vf, 10, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 11, SIMNIC_VLAN_ADDING, false);
	simnic_vf_test_vlan(test, vf, 12, SIMNIC_VLAN_ADD, true);
	simnic_vf_test_vlan(test, vf, 13, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN_V2, VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 10), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 11), SIMNIC_VLAN_REMOVE);
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_DEL_VLAN, &vf->vc.aq_required));
	/* not in this ADD, or not an ADD: untouched */
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 12), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 13), SIMNIC_VLAN_REMOVING);
}

/* ADD refused: the entry is freed (nothing stays ADDING) and the waiter gets the error */
static void simnic_vf_vlan_add_refused(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V1, 0);
	struct simnic_vf_vlan_waiter w = { .vid = 2001 }, other = { .vid = 2002 };

	list_add(&w.list, &vf->vlan.waiters);
	list_add(&other.list, &vf->vlan.waiters);
	simnic_vf_test_vlan(test, vf, 2001, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 2002, SIMNIC_VLAN_ADD, true);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2001), -1);
	KUNIT_EXPECT_TRUE(test, w.done);
	KUNIT_EXPECT_EQ(test, w.err, -EINVAL);
	KUNIT_EXPECT_FALSE(test, other.done);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2002), SIMNIC_VLAN_ADD);

	/* the limit, for one filter alone: -ENOSPC */
	w.done = false;
	simnic_vf_test_vlan(test, vf, 2001, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_STATUS_ERR_NO_MEMORY);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2001), -1);
	KUNIT_EXPECT_TRUE(test, w.done);
	KUNIT_EXPECT_EQ(test, w.err, -ENOSPC);
	KUNIT_EXPECT_FALSE(test, vf->vlan.one_by_one);
	list_del(&w.list);
	list_del(&other.list);
}

/* A batch over the PF's limit: none went in; each is tried alone, the killed dropped */
static void simnic_vf_vlan_add_batch_over_limit(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V1, 0);

	simnic_vf_test_vlan(test, vf, 2001, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 2002, SIMNIC_VLAN_ADDING, false);
	simnic_vf_test_vlan(test, vf, 2003, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 2004, SIMNIC_VLAN_ACTIVE, true);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_STATUS_ERR_NO_MEMORY);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2001), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2002), -1);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2003), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2004), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_TRUE(test, vf->vlan.one_by_one);
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required));

	/* the last single add answered, none queued: back to batches */
	clear_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
	simnic_vf_test_vlan(test, vf, 2005, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, vf->vlan.one_by_one);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2005), SIMNIC_VLAN_ACTIVE);
}

/* DEL answered: freed when confirmed, re-added if wanted again, ACTIVE if refused */
static void simnic_vf_vlan_del_reply(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);

	simnic_vf_test_vlan(test, vf, 20, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_vlan(test, vf, 21, SIMNIC_VLAN_REMOVING, true);
	simnic_vf_test_vlan(test, vf, 22, SIMNIC_VLAN_REMOVE, false);
	simnic_vf_test_vlan(test, vf, 23, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_DEL_VLAN_V2, VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 20), -1);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 21), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required));
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 22), SIMNIC_VLAN_REMOVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 23), SIMNIC_VLAN_ADDING);

	simnic_vf_test_vlan(test, vf, 2006, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_DEL_VLAN_V2, VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2006), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 4);
}

/* No reply: what was in flight is sent again */
static void simnic_vf_vlan_timeout_resend(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);

	simnic_vf_test_vlan(test, vf, 30, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 31, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_vlan(test, vf, 32, SIMNIC_VLAN_ACTIVE, true);
	mutex_lock(&vf->lock);
	simnic_vf_vlan_timeout(vf);
	mutex_unlock(&vf->lock);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 30), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 31), SIMNIC_VLAN_REMOVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 32), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required));
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_DEL_VLAN, &vf->vc.aq_required));
}

/* A reset replays what the user wants, in order, and never what they deleted */
static void simnic_vf_vlan_reset_replay(struct kunit *test)
{
	static const u16 kept[] = { 40, 41, 42, 45 };
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);
	struct simnic_vf_vlan *f;
	unsigned int i = 0;

	simnic_vf_test_vlan(test, vf, 40, SIMNIC_VLAN_ACTIVE, true);
	simnic_vf_test_vlan(test, vf, 41, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 42, SIMNIC_VLAN_REMOVING, true);
	simnic_vf_test_vlan(test, vf, 43, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_vlan(test, vf, 44, SIMNIC_VLAN_REMOVE, false);
	simnic_vf_test_vlan(test, vf, 45, SIMNIC_VLAN_ADD, true);
	vf->vlan.one_by_one = true;
	mutex_lock(&vf->lock);
	simnic_vf_vlan_reset(vf);
	mutex_unlock(&vf->lock);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), ARRAY_SIZE(kept));
	list_for_each_entry(f, &vf->vlan.list, list) {
		if (i < ARRAY_SIZE(kept))
			KUNIT_EXPECT_EQ(test, f->vid, kept[i]);
		KUNIT_EXPECT_EQ(test, f->state, SIMNIC_VLAN_ADD);
		i++;
	}
	KUNIT_EXPECT_TRUE(test, test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required));
	KUNIT_EXPECT_FALSE(test, vf->vlan.one_by_one);

	/* nothing wanted: nothing to send */
	vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);
	simnic_vf_test_vlan(test, vf, 43, SIMNIC_VLAN_REMOVING, false);
	mutex_lock(&vf->lock);
	simnic_vf_vlan_reset(vf);
	mutex_unlock(&vf->lock);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required));
}

static void simnic_vf_test_fit(struct simnic_vf *vf, u16 n)
{
	u16 i;

	for (i = 0; i < n; i++) {
		struct simnic_vf_vlan *f = kzalloc(sizeof(*f), GFP_KERNEL);

		if (!f)
			return;
		f->vid = 2001 + i;
		f->state = SIMNIC_VLAN_ADD;
		f->wanted = true;
		list_add_tail(&f->list, &vf->vlan.list);
	}
	mutex_lock(&vf->lock);
	simnic_vf_vlan_fit(vf);
	mutex_unlock(&vf->lock);
}

/* After a reset to a smaller limit: the oldest that fit are kept */
static void simnic_vf_vlan_fit_limit(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 3);

	simnic_vf_test_fit(vf, 5);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 3);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2001), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2003), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 2004), -1);

	/* exactly at the limit: all kept */
	vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 3);
	simnic_vf_test_fit(vf, 3);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 3);

	/* V1 does not tell its limit: the PF's answers will */
	vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V1, 0);
	simnic_vf_test_fit(vf, 5);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 5);

	/* no VLAN filters offered any more (port VLAN): none kept */
	vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_NONE, 0);
	simnic_vf_test_fit(vf, 2);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 0);
}

static unsigned long simnic_vf_test_hold(struct simnic_vf *vf)
{
	unsigned long hold;

	mutex_lock(&vf->lock);
	hold = simnic_vf_vlan_hold(vf);
	mutex_unlock(&vf->lock);
	return hold;
}

/* A lone add just now: the hold is at most SIMNIC_VF_VLAN_QUIET_MIN, and some is left
 * unless that much time went by (a slow guest) before the call
 */
static void simnic_vf_test_hold_quiet(struct kunit *test, struct simnic_vf *vf)
{
	unsigned long t0 = jiffies, hold;

	vf->vlan.last_add = t0;
	vf->vlan.quiet = SIMNIC_VF_VLAN_QUIET_MIN;
	hold = simnic_vf_test_hold(vf);
	KUNIT_EXPECT_LE(test, hold, SIMNIC_VF_VLAN_QUIET_MIN);
	if (time_before(jiffies, t0 + SIMNIC_VF_VLAN_QUIET_MIN))
		KUNIT_EXPECT_GT(test, hold, 0);
}

/* The pause that ends a batch follows the pace of the adds, within its bounds; a lone
 * add waits the least
 */
static void simnic_vf_vlan_batch_pace(struct kunit *test)
{
	unsigned long min = SIMNIC_VF_VLAN_QUIET_MIN, max = SIMNIC_VF_VLAN_QUIET_MAX;

	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(0), min);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(min / 2), min);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(min), 2 * min);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(max / 2 + 1), max);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(max), max);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(max + 1), min);
	/* the first add of all: vlan.last_add is 0, jiffies far from it */
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_quiet(ULONG_MAX / 2), min);
}

/* V2 adds wait for more to join them, within bounds; V1 adds never wait */
static void simnic_vf_vlan_batch_hold(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 4094);
	u16 i;

	simnic_vf_test_vlan(test, vf, 50, SIMNIC_VLAN_ADD, true);
	vf->vlan.first_held = jiffies;
	simnic_vf_test_hold_quiet(test, vf);

	/* the oldest has waited long enough, however busy the user */
	vf->vlan.first_held = jiffies - SIMNIC_VF_VLAN_MAX_HOLD;
	KUNIT_EXPECT_EQ(test, simnic_vf_test_hold(vf), 0);

	/* a full message goes at once */
	for (i = 1; i < SIMNIC_VF_V2_PER_MSG - 1; i++)
		simnic_vf_test_vlan(test, vf, 50 + i, SIMNIC_VLAN_ADD, true);
	vf->vlan.first_held = jiffies;
	simnic_vf_test_hold_quiet(test, vf);
	simnic_vf_test_vlan(test, vf, 50 + i, SIMNIC_VLAN_ADD, true);
	vf->vlan.last_add = jiffies;
	KUNIT_EXPECT_EQ(test, simnic_vf_test_hold(vf), 0);

	vf->vlan.proto = SIMNIC_VF_VLAN_V1;
	simnic_vf_vlan_free_all(vf);
	simnic_vf_test_vlan(test, vf, 50, SIMNIC_VLAN_ADD, true);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_hold(vf), 0);
}

/* The VF's largest messages fit the mailbox, and the PF's validator takes them */
static void simnic_vf_vlan_msg_sizes(struct kunit *test)
{
	struct virtchnl_version_info ver = { VIRTCHNL_VERSION_MAJOR, VIRTCHNL_VERSION_MINOR };
	struct simnic_vf *vf = simnic_vf_test_vf(test, SIMNIC_VF_VLAN_V2, 4094);
	struct virtchnl_vlan_filter_list_v2 *v2;
	struct virtchnl_vlan_filter_list *v1;
	u16 *vids, i, n, len;
	size_t over;

	vids = kunit_kcalloc(test, VLAN_N_VID, sizeof(*vids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vids);
	for (i = 0; i < VLAN_N_VID; i++)
		vids[i] = 1 + i % 4094;

	for (n = 1; n <= SIMNIC_VF_V1_PER_MSG; n += SIMNIC_VF_V1_PER_MSG - 1) {
		v1 = simnic_vf_vlan_msg_v1(vf, vids, n, &len);
		KUNIT_ASSERT_NOT_NULL(test, v1);
		KUNIT_EXPECT_LE(test, len, SIMNIC_MBX_MAX_LEN);
		KUNIT_EXPECT_EQ(test, virtchnl_vc_validate_vf_msg(&ver, VIRTCHNL_OP_ADD_VLAN,
								  (u8 *)v1, len), 0);
		KUNIT_EXPECT_EQ(test, v1->vsi_id, SIMNIC_VF_TEST_VSI);
		KUNIT_EXPECT_EQ(test, v1->num_elements, n);
		KUNIT_EXPECT_EQ(test, v1->vlan_id[n - 1], vids[n - 1]);
		kfree(v1);
	}
	/* one more would not fit (sized first: sparse cannot take the expansion in KUnit's
	 * macros)
	 */
	over = simnic_vc_size(v1, vlan_id, SIMNIC_VF_V1_PER_MSG + 1);
	KUNIT_EXPECT_GT(test, over, SIMNIC_MBX_MAX_LEN);

	for (n = 1; n <= SIMNIC_VF_V2_PER_MSG; n += SIMNIC_VF_V2_PER_MSG - 1) {
		v2 = simnic_vf_vlan_msg_v2(vf, vids, n, &len);
		KUNIT_ASSERT_NOT_NULL(test, v2);
		KUNIT_EXPECT_LE(test, len, SIMNIC_MBX_MAX_LEN);
		KUNIT_EXPECT_EQ(test, virtchnl_vc_validate_vf_msg(&ver, VIRTCHNL_OP_ADD_VLAN_V2,
								  (u8 *)v2, len), 0);
		KUNIT_EXPECT_EQ(test, v2->vport_id, SIMNIC_VF_TEST_VSI);
		KUNIT_EXPECT_EQ(test, v2->num_elements, n);
		KUNIT_EXPECT_EQ(test, v2->filters[n - 1].outer.tci, vids[n - 1]);
		KUNIT_EXPECT_EQ(test, v2->filters[n - 1].outer.tpid, ETH_P_8021Q);
		KUNIT_EXPECT_EQ(test, v2->filters[n - 1].inner.tpid, 0);
		kfree(v2);
	}
	over = simnic_vc_size_v2(v2, filters, SIMNIC_VF_V2_PER_MSG + 1);
	KUNIT_EXPECT_GT(test, over, SIMNIC_MBX_MAX_LEN);
}

/* The ndo calls on a VID already listed: 8021q counts the users of each VID (vlan_vid_add)
 * and calls the driver only for the first and the last, so the stack never makes these;
 * a double add or kill changes nothing, an add cancels a pending DEL or waits for the
 * DEL in flight, and a kill during ADDING waits for the reply. None of them sends.
 */
static void simnic_vf_vlan_ndo_repeats(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_V2, 8);
	struct net_device *netdev = simnic_vf_test_netdev(test, vf);

	simnic_vf_test_vlan(test, vf, 40, SIMNIC_VLAN_ACTIVE, true);
	simnic_vf_test_vlan(test, vf, 41, SIMNIC_VLAN_REMOVE, false);
	simnic_vf_test_vlan(test, vf, 42, SIMNIC_VLAN_REMOVING, false);
	simnic_vf_test_vlan(test, vf, 43, SIMNIC_VLAN_ADDING, true);
	simnic_vf_test_vlan(test, vf, 44, SIMNIC_VLAN_REMOVING, false);

	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_add_vid(netdev, htons(ETH_P_8021Q), 40), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 40), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_add_vid(netdev, htons(ETH_P_8021Q), 41), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 41), SIMNIC_VLAN_ACTIVE);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_add_vid(netdev, htons(ETH_P_8021Q), 42), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 42), SIMNIC_VLAN_REMOVING);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_kill_vid(netdev, htons(ETH_P_8021Q), 43), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 43), SIMNIC_VLAN_ADDING);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_kill_vid(netdev, htons(ETH_P_8021Q), 44), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 44), SIMNIC_VLAN_REMOVING);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 5);
	KUNIT_EXPECT_EQ(test, vf->vc.aq_required, 0UL);

	/* the replies then lead where the user's last word says */
	simnic_vf_test_reply(vf, VIRTCHNL_OP_DEL_VLAN_V2, VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 42), SIMNIC_VLAN_ADD);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 44), -1);
	simnic_vf_test_reply(vf, VIRTCHNL_OP_ADD_VLAN_V2, VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 43), SIMNIC_VLAN_REMOVE);
}

/* No VLAN capability (a PF in switchdev mode): filtering is off, so the filters
 * replayed after the reset are dropped (the stack hands them back when filtering is on
 * again), an add the stack makes while turning filtering off is not tracked, and
 * nothing is sent
 */
static void simnic_vf_vlan_filtering_off(struct kunit *test)
{
	struct simnic_vf *vf = simnic_vf_test_init_vf(test, SIMNIC_VF_VLAN_OFF, 0);
	struct net_device *netdev = simnic_vf_test_netdev(test, vf);

	simnic_vf_test_fit(vf, 4);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 0);

	vf->state = SIMNIC_VF_READY;
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_add_vid(netdev, htons(ETH_P_8021Q), 30), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_count(vf), 0);
	KUNIT_EXPECT_EQ(test, simnic_vf_vlan_rx_kill_vid(netdev, htons(ETH_P_8021Q), 30), 0);
	KUNIT_EXPECT_EQ(test, vf->vc.aq_required, 0UL);

	simnic_vf_test_vlan(test, vf, 31, SIMNIC_VLAN_ADD, true);
	mutex_lock(&vf->lock);
	KUNIT_EXPECT_EQ(test, simnic_vf_send_vlans(vf, true), 0);
	mutex_unlock(&vf->lock);
	KUNIT_EXPECT_EQ(test, simnic_vf_test_state(vf, 31), SIMNIC_VLAN_ADD);
}

static struct kunit_case simnic_vf_vlan_cases[] = {
	KUNIT_CASE(simnic_vf_vlan_add_ok),
	KUNIT_CASE(simnic_vf_vlan_add_refused),
	KUNIT_CASE(simnic_vf_vlan_add_batch_over_limit),
	KUNIT_CASE(simnic_vf_vlan_del_reply),
	KUNIT_CASE(simnic_vf_vlan_timeout_resend),
	KUNIT_CASE(simnic_vf_vlan_reset_replay),
	KUNIT_CASE(simnic_vf_vlan_fit_limit),
	KUNIT_CASE(simnic_vf_vlan_batch_hold),
	KUNIT_CASE(simnic_vf_vlan_batch_pace),
	KUNIT_CASE(simnic_vf_vlan_msg_sizes),
	KUNIT_CASE(simnic_vf_vlan_ndo_repeats),
	KUNIT_CASE(simnic_vf_vlan_filtering_off),
	{}
};

static struct kunit_suite simnic_vf_vlan_suite = {
	.name = "simnic_vf_vlan",
	.exit = simnic_vf_test_exit,
	.test_cases = simnic_vf_vlan_cases,
};

kunit_test_suite(simnic_vf_vlan_suite);
