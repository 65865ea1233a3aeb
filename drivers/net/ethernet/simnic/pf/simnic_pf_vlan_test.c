// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of simnic_pf_vlan.c, #included at its end with CONFIG_SIMNIC_KUNIT_TEST
 * (make modules-kunit: the debug kernel): the checks of VLAN V1 and V2 filter lists and
 * the per-VF limit. A list that would program the switch needs the device;
 * these use only lists that do not: deletes of VIDs the VF has not, and adds that are
 * refused or add nothing new.
 */
#include "simnic_pf_test.h"

/* A V1 list of @n VIDs for VSI @vsi, in a mailbox-sized buffer */
static struct virtchnl_vlan_filter_list *
simnic_pf_test_v1(struct kunit *test, u16 vsi, const u16 *vids, u16 n)
{
	struct virtchnl_vlan_filter_list *vfl;
	u16 i;

	vfl = kunit_kzalloc(test, SIMNIC_MBX_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vfl);
	vfl->vsi_id = vsi;
	vfl->num_elements = n;
	for (i = 0; i < n; i++)
		vfl->vlan_id[i] = vids[i];
	return vfl;
}

/* V1 ADD (@add) or DEL of the @n VIDs of @vids on VSI @vsi */
static enum virtchnl_status_code
simnic_pf_test_vlan_v1(struct kunit *test, struct simnic_pf_vf *vf, u16 vsi,
		       const u16 *vids, u16 n, bool add)
{
	struct virtchnl_vlan_filter_list *vfl = simnic_pf_test_v1(test, vsi, vids, n);
	enum virtchnl_status_code ret;

	mutex_lock(&vf->pf->lock);
	ret = simnic_pf_vc_vlan_v1(vf, (u8 *)vfl, add);
	mutex_unlock(&vf->pf->lock);
	return ret;
}

/* One V2 filter, as given, on VSI @vsi */
static enum virtchnl_status_code
simnic_pf_test_vlan_v2(struct kunit *test, struct simnic_pf_vf *vf, u16 vsi, bool add,
		       u16 outer_tpid, u16 outer_tci, u16 inner_tpid, u16 inner_tci)
{
	struct virtchnl_vlan_filter_list_v2 *vfl;
	enum virtchnl_status_code ret;

	vfl = kunit_kzalloc(test, SIMNIC_MBX_MAX_LEN, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, vfl);
	if (!vfl)
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	vfl->vport_id = vsi;
	vfl->num_elements = 1;
	vfl->filters[0].outer.tpid = outer_tpid;
	vfl->filters[0].outer.tci = outer_tci;
	vfl->filters[0].inner.tpid = inner_tpid;
	vfl->filters[0].inner.tci = inner_tci;
	mutex_lock(&vf->pf->lock);
	ret = simnic_pf_vc_vlan_v2(vf, (u8 *)vfl, add);
	mutex_unlock(&vf->pf->lock);
	return ret;
}

/* @vf has VIDs @first to @last, as if it had added them */
static void simnic_pf_test_vlans_have(struct simnic_pf_vf *vf, u16 first, u16 last)
{
	bitmap_set(vf->vlans, first, last - first + 1);
	vf->num_vlans = bitmap_weight(vf->vlans, VLAN_N_VID);
}

/* The VF of a test that checks VIDs: at its limit, with VIDs 2 to 9, so that a VID let
 * through by mistake is refused by the limit, not programmed into a switch it has not
 */
static struct simnic_pf_vf *simnic_pf_test_vf_full(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_vlans_have(vf, 2, 9);
	return vf;
}

/* VIDs 1 to 4094 may be filtered; 4095 is reserved. VID 0 is a no-op. */
static void simnic_pf_vlan_v1_vid_bounds(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf_full(test);
	static const u16 bad[] = { 4095, 4096, 0xffff };
	static const u16 ok[] = { 0, 1, 4094 };
	enum virtchnl_status_code st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &ok[i], 1, false);
		KUNIT_EXPECT_EQ_MSG(test, st, VIRTCHNL_STATUS_SUCCESS, "VID %u", ok[i]);
	}
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 8);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &bad[i], 1, false);
		KUNIT_EXPECT_EQ_MSG(test, st, VIRTCHNL_STATUS_ERR_PARAM, "DEL VID %u", bad[i]);
		st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &bad[i], 1, true);
		KUNIT_EXPECT_EQ_MSG(test, st, VIRTCHNL_STATUS_ERR_PARAM, "ADD VID %u", bad[i]);
	}
}

/* One bad VID, last in a list, refuses the whole list as malformed, for ADD and DEL */
static void simnic_pf_vlan_v1_bad_last(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf_full(test);
	static const u16 add[] = { 1, 5, 4095 }, del[] = { 1, 4094, 4095 };
	enum virtchnl_status_code st;

	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, add, ARRAY_SIZE(add), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_PARAM);
	/* VIDs the VF has not: a DEL let through would not touch the switch */
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, del, ARRAY_SIZE(del), false);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 8);
	KUNIT_EXPECT_TRUE(test, test_bit(5, vf->vlans));
}

static void simnic_pf_vlan_v1_vsi(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	enum virtchnl_status_code st;
	static const u16 vid = 7;

	/* VSI ids are VF id + 1: neither the VF id nor another VF's VSI */
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI - 1, &vid, 1, false);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_PARAM);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI + 1, &vid, 1, false);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_PARAM);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &vid, 1, false);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_SUCCESS);
}

/* V2: outer 802.1Q VIDs only; no QinQ, no 802.1ad, no priority bits */
static void simnic_pf_vlan_v2_filters(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf_full(test);
	const u16 vsi = SIMNIC_PF_TEST_VSI;

	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q, 1, 0, 0),
			VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q, 4094, 0,
						     0),
			VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q, 4095, 0,
						     0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, true, ETH_P_8021Q, 4095, 0,
						     0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021AD, 7, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, 0, 7, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	/* PCP 5 on VID 7 */
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q,
						     (5 << VLAN_PRIO_SHIFT) | 7, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q,
						     VLAN_CFI_MASK | 7, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q, 7,
						     ETH_P_8021Q, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi, false, ETH_P_8021Q, 7, 0, 9),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, vsi + 1, false, ETH_P_8021Q, 7, 0,
						     0),
			VIRTCHNL_STATUS_ERR_PARAM);
	/* each refusal counted once, under the check that made it */
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN2_VID], 2);
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN2_TAG], 6);
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN2_VPORT], 1);
}

static void simnic_pf_vlan_limit_values(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	KUNIT_EXPECT_EQ(test, simnic_pf_vlan_limit(vf), 8);
	vf->trusted = true;
	/* a trusted VF may have every VID: 1 to 4094 */
	KUNIT_EXPECT_EQ(test, simnic_pf_vlan_limit(vf), 4094);
}

/* At the limit: one more is refused, but re-adding what the VF has converges */
static void simnic_pf_vlan_limit_untrusted(struct kunit *test)
{
	static const u16 again[] = { 3, 10, 3, 0 }, more[] = { 11 }, some[] = { 2, 11 };
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	enum virtchnl_status_code st;

	simnic_pf_test_vlans_have(vf, 3, 10);
	KUNIT_ASSERT_EQ(test, vf->num_vlans, 8);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, again, ARRAY_SIZE(again), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_SUCCESS);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, more, ARRAY_SIZE(more), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_NO_MEMORY);
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 8);
	KUNIT_EXPECT_FALSE(test, test_bit(11, vf->vlans));

	/* one below the limit, two new ones: refused whole */
	vf = simnic_pf_test_vf(test);
	simnic_pf_test_vlans_have(vf, 3, 9);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, some, ARRAY_SIZE(some), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_NO_MEMORY);
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 7);
	KUNIT_EXPECT_FALSE(test, test_bit(2, vf->vlans));
}

/* A trusted VF may have all 4094, and not one more (there is none: 4095 is refused) */
static void simnic_pf_vlan_limit_trusted(struct kunit *test)
{
	static const u16 again[] = { 1, 4094 }, over[] = { 4095 };
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	enum virtchnl_status_code st;

	vf->trusted = true;
	simnic_pf_test_vlans_have(vf, 1, 4094);
	KUNIT_ASSERT_EQ(test, vf->num_vlans, 4094);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, again, ARRAY_SIZE(again), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_SUCCESS);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, over, ARRAY_SIZE(over), true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 4094);
}

/* Under a port VLAN the VF has no filters of its own: every list is refused */
static void simnic_pf_vlan_port_vlan(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	enum virtchnl_status_code st;
	static const u16 vid = 7;

	vf->port_vlan = 20;
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &vid, 1, true);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_NOT_SUPPORTED);
	st = simnic_pf_test_vlan_v1(test, vf, SIMNIC_PF_TEST_VSI, &vid, 1, false);
	KUNIT_EXPECT_EQ(test, st, VIRTCHNL_STATUS_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_v2(test, vf, SIMNIC_PF_TEST_VSI, true,
						     ETH_P_8021Q, 7, 0, 0),
			VIRTCHNL_STATUS_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, vf->num_vlans, 0);
}

/* {ENABLE,DISABLE}_VLAN_{STRIPPING,INSERTION}_V2 with @outer/@inner settings on @vsi */
static enum virtchnl_status_code
simnic_pf_test_vlan_offload(struct simnic_pf_vf *vf, u32 op, u16 vsi, u32 outer, u32 inner)
{
	struct virtchnl_vlan_setting vs = {
		.outer_ethertype_setting = outer,
		.inner_ethertype_setting = inner,
		.vport_id = vsi,
	};
	enum virtchnl_status_code ret;

	mutex_lock(&vf->pf->lock);
	ret = simnic_pf_vc_vlan_offload(vf, (u8 *)&vs, op);
	mutex_unlock(&vf->pf->lock);
	return ret;
}

/* The tag offloads: another vport, any ethertype but the outer 802.1Q the caps offer,
 * an inner one, or a port VLAN: refused under their own counters, nothing turned on
 */
static void simnic_pf_vlan_offload_refusals(struct kunit *test)
{
	static const u32 ops[] = {
		VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2, VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2,
		VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2, VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2,
	};
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	const u32 q = VIRTCHNL_VLAN_ETHERTYPE_8100, ad = VIRTCHNL_VLAN_ETHERTYPE_88A8;
	const u16 vsi = SIMNIC_PF_TEST_VSI;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi + 1, q, 0),
				VIRTCHNL_STATUS_ERR_PARAM);
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi, ad, 0),
				VIRTCHNL_STATUS_ERR_PARAM);
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi, q | ad, 0),
				VIRTCHNL_STATUS_ERR_PARAM);
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi, 0, q),
				VIRTCHNL_STATUS_ERR_PARAM);
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi, q, q),
				VIRTCHNL_STATUS_ERR_PARAM);
	}
	vf->port_vlan = 20;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		KUNIT_EXPECT_EQ(test, simnic_pf_test_vlan_offload(vf, ops[i], vsi, q, 0),
				VIRTCHNL_STATUS_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_VPORT], 4);
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_TAG], 16);
	KUNIT_EXPECT_EQ(test, vf->mbx.refusals[SIMNIC_PF_REFUSE_VLAN_PORT_VLAN], 4);
	KUNIT_EXPECT_FALSE(test, vf->vlan_strip);
	KUNIT_EXPECT_FALSE(test, vf->vlan_insert);
}

static struct kunit_case simnic_pf_vlan_cases[] = {
	KUNIT_CASE(simnic_pf_vlan_v1_vid_bounds),
	KUNIT_CASE(simnic_pf_vlan_v1_bad_last),
	KUNIT_CASE(simnic_pf_vlan_v1_vsi),
	KUNIT_CASE(simnic_pf_vlan_v2_filters),
	KUNIT_CASE(simnic_pf_vlan_limit_values),
	KUNIT_CASE(simnic_pf_vlan_limit_untrusted),
	KUNIT_CASE(simnic_pf_vlan_limit_trusted),
	KUNIT_CASE(simnic_pf_vlan_port_vlan),
	KUNIT_CASE(simnic_pf_vlan_offload_refusals),
	{}
};

static struct kunit_suite simnic_pf_vlan_suite = {
	.name = "simnic_pf_vlan",
	.test_cases = simnic_pf_vlan_cases,
};

kunit_test_suite(simnic_pf_vlan_suite);
