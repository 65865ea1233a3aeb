// SPDX-License-Identifier: GPL-2.0
/* VLAN filters of the VFs: both virtchnl flavours (ADD_VLAN/DEL_VLAN and the VLAN_V2
 * ops), the per-VF limit, and the switch programming. A request is applied whole or
 * not at all; adding a VID the VF has and deleting one it has not both succeed, so a
 * VF that resends after a lost reply converges.
 */
#include <linux/slab.h>
#include "simnic_pf.h"

/* The number of VLAN filters a VF may have (V2 announces it as max_filters) */
u16 simnic_pf_vlan_limit(const struct simnic_pf_vf *vf)
{
	return vf->trusted ? SIMNIC_PF_VLANS_TRUSTED : SIMNIC_PF_VLANS_UNTRUSTED;
}

/* Forget every filter of @vf and turn its tag offloads off; the caller clears the
 * switch's filters
 */
void simnic_pf_vlan_clear(struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	bitmap_zero(vf->vlans, VLAN_N_VID);
	vf->num_vlans = 0;
	vf->vlan_strip = false;
	vf->vlan_insert = false;
	simnic_hw_pf_set_vlan_offload(vf->pf->fn, vf->fn, false, false);
}

static void simnic_pf_vlan_program(struct simnic_pf_vf *vf, u16 vid, bool add)
{
	struct simnic_pf *pf = vf->pf;

	if (simnic_hw_pf_set_vlan_filter(pf->fn, vf->fn, vid, add))
		dev_warn(&pf->pdev->dev, "VF %u: switch refused VLAN %u\n", vf->id, vid);
}

/* Apply a validated list of @n VIDs (0 entries are no-ops) */
static enum virtchnl_status_code
simnic_pf_vlan_apply(struct simnic_pf_vf *vf, const u16 *vids, u16 n, bool add)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;
	struct device *dev = &vf->pf->pdev->dev;
	unsigned long *fresh;
	u16 i, limit, added;

	lockdep_assert_held(&vf->pf->lock);

	if (vf->port_vlan) {
		dev_err_ratelimited(dev, "VF %u: VLAN filters are not allowed under port VLAN %u\n",
				    vf->id, vf->port_vlan);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN_PORT_VLAN);
	}
	if (add && fl->reject_add) {
		fl->reject_add--;
		dev_info(dev, "VF %u: fault injection: rejecting VLAN ADD\n", vf->id);
		return fl->reject_status;
	}
	if (!add && fl->reject_del) {
		fl->reject_del--;
		dev_info(dev, "VF %u: fault injection: rejecting VLAN DEL\n", vf->id);
		return fl->reject_status;
	}

	if (!add) {
		for (i = 0; i < n; i++) {
			if (!vids[i] || !test_and_clear_bit(vids[i], vf->vlans))
				continue;
			vf->num_vlans--;
			simnic_pf_vlan_program(vf, vids[i], false);
		}
		return VIRTCHNL_STATUS_SUCCESS;
	}

	/* Count what is new, duplicates in the list included once */
	fresh = bitmap_zalloc(VLAN_N_VID, GFP_KERNEL);
	if (!fresh)
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	for (i = 0; i < n; i++)
		if (vids[i] && !test_bit(vids[i], vf->vlans))
			set_bit(vids[i], fresh);
	added = bitmap_weight(fresh, VLAN_N_VID);
	limit = simnic_pf_vlan_limit(vf);
	if (vf->num_vlans + added > limit) {
		dev_err_ratelimited(dev, "VF %u: %u more VLANs refused: limit of %u for %s VF%s\n",
				    vf->id, added, limit,
				    vf->trusted ? "a trusted" : "an untrusted",
				    vf->trusted ? "" : " (trust on raises it)");
		bitmap_free(fresh);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN_LIMIT);
	}
	for_each_set_bit(i, fresh, VLAN_N_VID) {
		set_bit(i, vf->vlans);
		simnic_pf_vlan_program(vf, i, true);
	}
	vf->num_vlans += added;
	bitmap_free(fresh);
	return VIRTCHNL_STATUS_SUCCESS;
}

enum virtchnl_status_code simnic_pf_vc_vlan_v1(struct simnic_pf_vf *vf, u8 *msg,
					       bool add)
{
	struct virtchnl_vlan_filter_list *vfl = (void *)msg;
	u16 i;

	if (!simnic_pf_vsi_ok(vf, vfl->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN_VSI);
	for (i = 0; i < vfl->num_elements; i++)
		if (vfl->vlan_id[i] >= VLAN_N_VID - 1)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN_VID);
	return simnic_pf_vlan_apply(vf, vfl->vlan_id, vfl->num_elements, add);
}

enum virtchnl_status_code simnic_pf_vc_vlan_v2(struct simnic_pf_vf *vf, u8 *msg,
					       bool add)
{
	struct virtchnl_vlan_filter_list_v2 *vfl = (void *)msg;
	struct virtchnl_vlan_filter *f;
	enum virtchnl_status_code ret;
	u16 i, *vids;

	if (!simnic_pf_vsi_ok(vf, vfl->vport_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN2_VPORT);
	/* We offer outer 802.1Q filtering only, without masks or priorities */
	for (i = 0; i < vfl->num_elements; i++) {
		f = &vfl->filters[i];
		if (f->inner.tci || f->inner.tpid || f->outer.tpid != ETH_P_8021Q ||
		    f->outer.tci & ~VLAN_VID_MASK)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN2_TAG);
		if ((f->outer.tci & VLAN_VID_MASK) >= VLAN_N_VID - 1)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN2_VID);
	}
	vids = kcalloc(vfl->num_elements, sizeof(*vids), GFP_KERNEL);
	if (!vids)
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	for (i = 0; i < vfl->num_elements; i++)
		vids[i] = vfl->filters[i].outer.tci & VLAN_VID_MASK;
	ret = simnic_pf_vlan_apply(vf, vids, vfl->num_elements, add);
	kfree(vids);
	return ret;
}

void simnic_pf_vc_vlan_v2_caps(struct simnic_pf_vf *vf)
{
	struct virtchnl_vlan_caps caps = {};

	lockdep_assert_held(&vf->pf->lock);
	/* Under a port VLAN the VF sees no tags: nothing to filter, strip or insert */
	if (!vf->port_vlan) {
		caps.filtering.filtering_support.outer = VIRTCHNL_VLAN_ETHERTYPE_8100;
		caps.filtering.ethertype_init = VIRTCHNL_VLAN_ETHERTYPE_8100;
		caps.filtering.max_filters = simnic_pf_vlan_limit(vf);
		/* stripping and insertion of the outer 802.1Q tag, which the VF turns
		 * on and off (ice offers the same in its single VLAN mode, on the inner
		 * tag)
		 */
		caps.offloads.stripping_support.outer = VIRTCHNL_VLAN_ETHERTYPE_8100 |
							VIRTCHNL_VLAN_TOGGLE;
		caps.offloads.insertion_support.outer = VIRTCHNL_VLAN_ETHERTYPE_8100 |
							VIRTCHNL_VLAN_TOGGLE;
		caps.offloads.ethertype_init = VIRTCHNL_VLAN_ETHERTYPE_8100;
		caps.offloads.ethertype_match = VIRTCHNL_ETHERTYPE_STRIPPING_MATCHES_INSERTION;
	}
	simnic_pf_vc_send(vf, VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS, VIRTCHNL_STATUS_SUCCESS,
			  &caps, sizeof(caps));
}

/**
 * simnic_pf_vc_vlan_offload - {ENABLE,DISABLE}_VLAN_{STRIPPING,INSERTION}_V2
 * @vf: the VF
 * @msg: its struct virtchnl_vlan_setting
 * @op: which of the four
 *
 * As ice_vc_ena_vlan_stripping_v2_msg() and its siblings: the vport must be the
 * VF's, the settings name the one ethertype the caps offer (the outer 802.1Q tag,
 * no inner one), and there is no port VLAN. The switch then strips or inserts.
 *
 * Return: the status for the reply.
 */
enum virtchnl_status_code simnic_pf_vc_vlan_offload(struct simnic_pf_vf *vf, u8 *msg,
						    u32 op)
{
	struct virtchnl_vlan_setting *vs = (void *)msg;
	bool on = op == VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2 ||
		  op == VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2;

	lockdep_assert_held(&vf->pf->lock);
	if (!simnic_pf_vsi_ok(vf, vs->vport_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_VPORT);
	if (vs->outer_ethertype_setting != VIRTCHNL_VLAN_ETHERTYPE_8100 ||
	    vs->inner_ethertype_setting)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_TAG);
	if (vf->port_vlan) {
		dev_err_ratelimited(&vf->pf->pdev->dev,
				    "VF %u: VLAN tag offloads are not allowed under port VLAN %u\n",
				    vf->id, vf->port_vlan);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_VLAN_PORT_VLAN);
	}
	if (op == VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2 ||
	    op == VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2)
		vf->vlan_strip = on;
	else
		vf->vlan_insert = on;
	simnic_hw_pf_set_vlan_offload(vf->pf->fn, vf->fn, vf->vlan_strip, vf->vlan_insert);
	return VIRTCHNL_STATUS_SUCCESS;
}

/* only in the build/kunit modules (make modules-kunit), not at every load */
#if IS_ENABLED(CONFIG_SIMNIC_KUNIT_TEST)
#include "simnic_pf_vlan_test.c"
#endif
