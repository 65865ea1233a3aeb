// SPDX-License-Identifier: GPL-2.0
/* The PF side of virtchnl: validate, dispatch, answer */
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include "simnic_pf.h"

#define SIMNIC_PF_CAPS	(VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_CAP_ADV_LINK_SPEED | \
			 VIRTCHNL_VF_OFFLOAD_VLAN | VIRTCHNL_VF_OFFLOAD_VLAN_V2 | \
			 VIRTCHNL_VF_OFFLOAD_RSS_PF | SIMNIC_VF_OFFLOAD_RX_GSO)

static int simnic_pf_mbx_send(struct simnic_pf_vf *vf, u32 op, s32 status,
			      const void *msg, u16 len)
{
	int err;

	lockdep_assert_held(&vf->pf->lock);
	err = simnic_hw_mbx_send(vf->pf->fn, vf->id, op, status, msg, len);
	if (!err)
		return 0;
	dev_dbg(&vf->pf->pdev->dev, "VF %u: message op %u lost: %d\n", vf->id, op, err);
	/* a VF in reset (-ENODEV) or a card away for servicing (-EIO): expected */
	if (err != -ENODEV && err != -EIO) {
		vf->mbx.send_failed++;
		simnic_pf_health_record(vf, SIMNIC_PF_HEALTH_SEND_FAILED, op, len, err);
	}
	return err;
}

static int simnic_pf_reply_hold(struct simnic_pf_vf *vf, struct list_head *list,
				u32 op, s32 status, const void *msg, u16 len,
				unsigned int delay_ms)
{
	struct simnic_pf_reply *r;

	r = kmalloc(struct_size(r, data, len), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->due = jiffies + msecs_to_jiffies(delay_ms);
	r->op = op;
	r->status = status;
	r->len = len;
	memcpy(r->data, msg, len);
	list_add_tail(&r->list, list);
	return 0;
}

/* Send a message to @vf. Replies (not events) go through fault injection: dropped,
 * held until the VF's next reset, or delayed, in that order of precedence. An event
 * never overtakes a delayed reply: the LINK_CHANGE that follows GET_VF_RESOURCES must
 * reach the VF after the capabilities that say how to read it.
 */
static int simnic_pf_vc_deliver(struct simnic_pf_vf *vf, u32 op, s32 status,
				const void *msg, u16 len)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;
	struct device *dev = &vf->pf->pdev->dev;

	lockdep_assert_held(&vf->pf->lock);
	if (op == VIRTCHNL_OP_EVENT) {
		if (list_empty(&vf->delayed))
			return simnic_pf_mbx_send(vf, op, status, msg, len);
		/* due at once, but after the replies ahead of it */
		return simnic_pf_reply_hold(vf, &vf->delayed, op, status, msg, len, 0);
	}
	if (fl->drop_replies) {
		fl->drop_replies--;
		dev_info(dev, "VF %u: fault injection: dropping reply to op %u\n", vf->id, op);
		return 0;
	}
	if (fl->reply_after_reset) {
		fl->reply_after_reset--;
		dev_info(dev, "VF %u: fault injection: reply to op %u held until reset\n",
			 vf->id, op);
		return simnic_pf_reply_hold(vf, &vf->held, op, status, msg, len, 0);
	}
	if (fl->reply_delay_ms || !list_empty(&vf->delayed)) {
		if (simnic_pf_reply_hold(vf, &vf->delayed, op, status, msg, len,
					 fl->reply_delay_ms))
			return -ENOMEM;
		if (list_is_singular(&vf->delayed))
			mod_delayed_work(system_wq, &vf->reply_work,
					 msecs_to_jiffies(fl->reply_delay_ms));
		return 0;
	}
	return simnic_pf_mbx_send(vf, op, status, msg, len);
}

/* Send a message to @vf: a reply goes through fault injection, which may forge it
 * (simnic_pf_forge.c), hold it or drop it (simnic_pf_vc_deliver())
 */
int simnic_pf_vc_send(struct simnic_pf_vf *vf, u32 op, enum virtchnl_status_code status,
		      const void *msg, u16 len)
{
	s32 st = status;
	u8 *forged;
	int err;

	lockdep_assert_held(&vf->pf->lock);
	if (op == VIRTCHNL_OP_EVENT)
		return simnic_pf_vc_deliver(vf, op, st, msg, len);
	simnic_pf_forge_reply(vf, &op, &st, &msg, &len, &forged);
	err = simnic_pf_vc_deliver(vf, op, st, msg, len);
	kfree(forged);
	return err;
}

static void simnic_pf_replies_send(struct simnic_pf_vf *vf, struct list_head *list,
				   bool all)
{
	struct simnic_pf_reply *r, *tmp;

	lockdep_assert_held(&vf->pf->lock);
	list_for_each_entry_safe(r, tmp, list, list) {
		if (!all && time_before(jiffies, r->due)) {
			mod_delayed_work(system_wq, &vf->reply_work, r->due - jiffies);
			return;
		}
		list_del(&r->list);
		simnic_pf_mbx_send(vf, r->op, r->status, r->data, r->len);
		kfree(r);
	}
}

/* reply_delay_ms written: 0 sends the replies held back so far at once, in order, so
 * a test can hold a reply for as long as it needs and then let it go
 */
void simnic_pf_reply_delay_set(struct simnic_pf_vf *vf, u32 ms)
{
	mutex_lock(&vf->pf->lock);
	vf->faults.reply_delay_ms = ms;
	if (!ms)
		simnic_pf_replies_send(vf, &vf->delayed, true);
	mutex_unlock(&vf->pf->lock);
}

/* Delayed replies that are due go out, in order */
void simnic_pf_reply_work(struct work_struct *work)
{
	struct simnic_pf_vf *vf = container_of(to_delayed_work(work), struct simnic_pf_vf,
					       reply_work);

	mutex_lock(&vf->pf->lock);
	simnic_pf_replies_send(vf, &vf->delayed, false);
	mutex_unlock(&vf->pf->lock);
}

static void simnic_pf_replies_drop(struct list_head *list)
{
	struct simnic_pf_reply *r, *tmp;

	list_for_each_entry_safe(r, tmp, list, list) {
		list_del(&r->list);
		kfree(r);
	}
}

/* The VF was reset and is active again: delayed replies died with its mailbox; those
 * held for after the reset are delivered now, stale, as a slow PF would.
 */
void simnic_pf_replies_on_reset(struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	simnic_pf_replies_drop(&vf->delayed);
	simnic_pf_replies_send(vf, &vf->held, true);
}

/* SR-IOV is going away: reply_work is cancelled, nothing else looks at the lists */
void simnic_pf_replies_free(struct simnic_pf_vf *vf)
{
	simnic_pf_replies_drop(&vf->delayed);
	simnic_pf_replies_drop(&vf->held);
}

static void simnic_pf_vc_reply(struct simnic_pf_vf *vf, u32 op,
			       enum virtchnl_status_code status)
{
	simnic_pf_vc_send(vf, op, status, NULL, 0);
}

static const struct {
	const char *name;
	enum virtchnl_status_code status;
} simnic_pf_refusals[SIMNIC_PF_REFUSE_NUM] = {
	[SIMNIC_PF_REFUSE_NOT_ALLOWED] = { "not_allowed", VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_MALFORMED] = { "malformed", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_VSI] = { "qcfg_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_COUNT] = { "qcfg_count", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_IDS] = { "qcfg_ids", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_RING_LEN] = { "qcfg_ring_len", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_MAX_FRAME] = { "qcfg_max_frame", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QCFG_BUF] = { "qcfg_buf", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_IRQ_VSI] = { "irq_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_IRQ_VECTOR] = { "irq_vector", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_IRQ_QUEUES] = { "irq_queues", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_IRQ_UNCONFIGURED] = { "irq_unconfigured", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QSEL_VSI] = { "qsel_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QSEL_NONE] = { "qsel_none", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_QSEL_RANGE] = { "qsel_range", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_STATS_VSI] = { "stats_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN_VSI] = { "vlan_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN_VID] = { "vlan_vid", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN2_VPORT] = { "vlan2_vport", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN2_TAG] = { "vlan2_tag", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN2_VID] = { "vlan2_vid", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_VPORT] = { "vlan2_offload_vport",
						   VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_TAG] = { "vlan2_offload_tag",
						 VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_VLAN_PORT_VLAN] = { "vlan_port_vlan",
					      VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_VLAN_LIMIT] = { "vlan_limit", VIRTCHNL_STATUS_ERR_NO_MEMORY },
	[SIMNIC_PF_REFUSE_MAC_VSI] = { "mac_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_MAC_ADDR] = { "mac_addr", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_MAC_PRIMARY_MCAST] = { "mac_primary_mcast",
						 VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_MAC_PRIMARY_ADMIN] = { "mac_primary_admin",
						 VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_MAC_PRIMARY_LISTED] = { "mac_primary_listed",
						  VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_MAC_PRIMARY_TAKEN] = { "mac_primary_taken",
						 VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_MAC_UNICAST_ADMIN] = { "mac_unicast_admin",
						 VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_MAC_LIMIT] = { "mac_limit", VIRTCHNL_STATUS_ERR_NO_MEMORY },
	[SIMNIC_PF_REFUSE_MAC_TAKEN] = { "mac_taken", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_PROMISC_VSI] = { "promisc_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_PROMISC_FLAGS] = { "promisc_flags", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_PROMISC_SWITCHDEV] = { "promisc_switchdev",
						 VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_PROMISC_UNTRUSTED] = { "promisc_untrusted",
						 VIRTCHNL_STATUS_ERR_NOT_SUPPORTED },
	[SIMNIC_PF_REFUSE_RSS_VSI] = { "rss_vsi", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_RSS_KEY_LEN] = { "rss_key_len", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_RSS_LUT_LEN] = { "rss_lut_len", VIRTCHNL_STATUS_ERR_PARAM },
	[SIMNIC_PF_REFUSE_RSS_LUT_QUEUE] = { "rss_lut_queue", VIRTCHNL_STATUS_ERR_PARAM },
};

/**
 * simnic_pf_vc_refuse - count a message of @vf refused by path @why
 * @vf: the VF
 * @why: the refusal path
 *
 * Return: the virtchnl status to answer with, the one ice gives for the same
 * refusal.
 */
enum virtchnl_status_code simnic_pf_vc_refuse(struct simnic_pf_vf *vf,
					      enum simnic_pf_refusal why)
{
	lockdep_assert_held(&vf->pf->lock);
	vf->mbx.refusals[why]++;
	return simnic_pf_refusals[why].status;
}

const char *simnic_pf_refusal_name(enum simnic_pf_refusal why)
{
	return simnic_pf_refusals[why].name;
}

/* Tell the VF its link state (the PF's, or what the host forced), in the format it
 * negotiated
 */
void simnic_pf_notify_link(struct simnic_pf_vf *vf)
{
	struct simnic_pf *pf = vf->pf;
	struct virtchnl_pf_event ev = {};
	bool up;

	lockdep_assert_held(&pf->lock);
	if (vf->state != SIMNIC_PF_VF_STATE_ACTIVE)
		return;
	up = simnic_pf_vf_link_up(vf);
	ev.event = VIRTCHNL_EVENT_LINK_CHANGE;
	ev.severity = PF_EVENT_SEVERITY_INFO;
	if (vf->caps & VIRTCHNL_VF_CAP_ADV_LINK_SPEED) {
		ev.event_data.link_event_adv.link_speed =
			up ? simnic_hw_link_speed_mbps(pf->fn) : 0;
		ev.event_data.link_event_adv.link_status = up;
	} else {
		ev.event_data.link_event.link_speed =
			up ? VIRTCHNL_LINK_SPEED_10GB : VIRTCHNL_LINK_SPEED_UNKNOWN;
		ev.event_data.link_event.link_status = up;
	}
	simnic_pf_vc_send(vf, VIRTCHNL_OP_EVENT, VIRTCHNL_STATUS_SUCCESS, &ev,
			  sizeof(ev));
}

/* Warn the VF that the PF is about to reset it */
void simnic_pf_notify_reset(struct simnic_pf_vf *vf)
{
	struct virtchnl_pf_event ev = {
		.event = VIRTCHNL_EVENT_RESET_IMPENDING,
		.severity = PF_EVENT_SEVERITY_CERTAIN_DOOM,
	};

	lockdep_assert_held(&vf->pf->lock);
	if (vf->state == SIMNIC_PF_VF_STATE_ACTIVE)
		simnic_pf_vc_send(vf, VIRTCHNL_OP_EVENT, VIRTCHNL_STATUS_SUCCESS, &ev,
				  sizeof(ev));
}

static void simnic_pf_vc_version(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_version_info *ver = (struct virtchnl_version_info *)msg;
	struct virtchnl_version_info reply = {
		.major = VIRTCHNL_VERSION_MAJOR,
		.minor = VIRTCHNL_VERSION_MINOR,
	};

	vf->ver = *ver;
	if (ver->major > VIRTCHNL_VERSION_MAJOR ||
	    (ver->major == VIRTCHNL_VERSION_MAJOR && ver->minor > VIRTCHNL_VERSION_MINOR))
		vf->ver = reply;
	vf->state = SIMNIC_PF_VF_STATE_VERSION;
	simnic_pf_vc_allowlist_set(vf);
	simnic_pf_vc_send(vf, VIRTCHNL_OP_VERSION, VIRTCHNL_STATUS_SUCCESS, &reply,
			  sizeof(reply));
}

static void simnic_pf_vc_get_resources(struct simnic_pf_vf *vf, u8 *msg)
{
	/* One VSI: the size of the reply counts it, as ice's does (count 0 of
	 * virtchnl_struct_size(); simnic_compat.h); the buffer is larger on 6.1
	 */
	u8 buf[sizeof(struct virtchnl_vf_resource) +
	       sizeof(struct virtchnl_vsi_resource)] __aligned(8) = {};
	struct virtchnl_vf_resource *res = (void *)buf;
	u32 want = VF_BASE_MODE_OFFLOADS;

	if (VF_IS_V11(&vf->ver))
		want = *(u32 *)msg;
	vf->caps = want & SIMNIC_PF_CAPS;
	/* One VLAN flavour: V2 unless this VF is configured for V1, or only knows V1 */
	if ((vf->caps & VIRTCHNL_VF_OFFLOAD_VLAN_V2) && !vf->faults.vlan_v1)
		vf->caps &= ~VIRTCHNL_VF_OFFLOAD_VLAN;
	else
		vf->caps &= ~VIRTCHNL_VF_OFFLOAD_VLAN_V2;
	/* none in switchdev mode, as ice_vc_get_vlan_caps(): the VF's VLANs are the
	 * representor's business, so it runs with VLAN filtering off
	 */
	if (vf->pf->switchdev)
		vf->caps &= ~(VIRTCHNL_VF_OFFLOAD_VLAN | VIRTCHNL_VF_OFFLOAD_VLAN_V2);

	res->num_vsis = 1;
	res->num_queue_pairs = vf->num_qps;
	res->max_vectors = vf->num_qps + 1;
	res->max_mtu = SIMNIC_PF_MAX_MTU;
	res->vf_cap_flags = vf->caps;
	if (vf->caps & VIRTCHNL_VF_OFFLOAD_RSS_PF) {
		res->rss_key_size = SIMNIC_RSS_KEY_SIZE;
		res->rss_lut_size = SIMNIC_RSS_LUT_SIZE;
	}
	res->vsi_res[0].vsi_id = vf->id + 1;
	res->vsi_res[0].num_queue_pairs = vf->num_qps;
	res->vsi_res[0].vsi_type = VIRTCHNL_VSI_SRIOV;
	ether_addr_copy(res->vsi_res[0].default_mac_addr, vf->mac);
	vf->state = SIMNIC_PF_VF_STATE_ACTIVE;
	simnic_pf_vc_allowlist_set(vf);
	simnic_pf_vc_send(vf, VIRTCHNL_OP_GET_VF_RESOURCES, VIRTCHNL_STATUS_SUCCESS,
			  res, simnic_vc_size(res, vsi_res, 0));
	simnic_pf_notify_link(vf);
}

/* An rx buffer size ice takes (0: the default, or 1024 to 16 KiB - 128), or the
 * whole-GSO-frame buffers of SIMNIC_VF_OFFLOAD_RX_GSO if the VF was granted it
 */
static bool simnic_pf_rx_buf_ok(const struct simnic_pf_vf *vf, u32 size)
{
	if (size == SIMNIC_VC_RX_GSO_BUF)
		return vf->caps & SIMNIC_VF_OFFLOAD_RX_GSO;
	return !size || (size >= SIMNIC_PF_RX_BUF_MIN && size <= SIMNIC_PF_RX_BUF_MAX);
}

static enum virtchnl_status_code
simnic_pf_vc_config_queues(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_vsi_queue_config_info *qci = (void *)msg;
	struct virtchnl_queue_pair_info *qpi;
	u16 i;

	if (!simnic_pf_vsi_ok(vf, qci->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_VSI);
	if (qci->num_queue_pairs > vf->num_qps)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_COUNT);
	for (i = 0; i < qci->num_queue_pairs; i++) {
		qpi = &qci->qpair[i];
		if (qpi->txq.vsi_id != qci->vsi_id || qpi->rxq.vsi_id != qci->vsi_id ||
		    qpi->txq.queue_id != i || qpi->rxq.queue_id != i)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_IDS);
		if (qpi->rxq.ring_len < SIMNIC_RING_MIN || qpi->rxq.ring_len > SIMNIC_RING_MAX ||
		    qpi->txq.ring_len < SIMNIC_RING_MIN || qpi->txq.ring_len > SIMNIC_RING_MAX)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_RING_LEN);
		if ((qpi->rxq.max_pkt_size &&
		     qpi->rxq.max_pkt_size < ETH_ZLEN + ETH_FCS_LEN) ||
		    qpi->rxq.max_pkt_size > SIMNIC_MAX_FRAME)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_MAX_FRAME);
		if (!simnic_pf_rx_buf_ok(vf, qpi->rxq.databuffer_size))
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QCFG_BUF);
	}
	for (i = 0; i < qci->num_queue_pairs; i++) {
		qpi = &qci->qpair[i];
		vf->ring_len[i] = qpi->rxq.ring_len;
		vf->tx_ring_len[i] = qpi->txq.ring_len;
		vf->max_frame[i] = qpi->rxq.max_pkt_size;
		/* buffers for a whole GSO frame (only if the VF may have them) */
		__assign_bit(i, &vf->rx_gso,
			     qpi->rxq.databuffer_size == SIMNIC_VC_RX_GSO_BUF);
	}
	return VIRTCHNL_STATUS_SUCCESS;
}

static enum virtchnl_status_code
simnic_pf_vc_config_irq_map(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_irq_map_info *imi = (void *)msg;
	struct virtchnl_vector_map *map;
	unsigned long rxq, txq;
	u16 i, q;

	for (i = 0; i < imi->num_vectors; i++) {
		map = &imi->vecmap[i];
		if (!simnic_pf_vsi_ok(vf, map->vsi_id))
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_IRQ_VSI);
		if (map->vector_id > vf->num_qps)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_IRQ_VECTOR);
		if ((map->rxq_map | map->txq_map) >> vf->num_qps)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_IRQ_QUEUES);
		rxq = map->rxq_map | map->txq_map;
		for_each_set_bit(q, &rxq, vf->num_qps)
			if (!vf->ring_len[q])
				return simnic_pf_vc_refuse(vf,
							   SIMNIC_PF_REFUSE_IRQ_UNCONFIGURED);
	}
	for (i = 0; i < imi->num_vectors; i++) {
		map = &imi->vecmap[i];
		rxq = map->rxq_map;
		for_each_set_bit(q, &rxq, vf->num_qps)
			if (simnic_hw_pf_cfg_queue(vf->pf->fn, vf->fn, q, vf->ring_len[q],
						   vf->max_frame[q] ?: SIMNIC_MAX_FRAME,
						   map->vector_id, test_bit(q, &vf->rx_gso)))
				return VIRTCHNL_STATUS_ERR_PARAM;
		txq = map->txq_map;
		for_each_set_bit(q, &txq, vf->num_qps)
			if (simnic_hw_pf_cfg_txq(vf->pf->fn, vf->fn, q, vf->tx_ring_len[q],
						 map->vector_id))
				return VIRTCHNL_STATUS_ERR_PARAM;
	}
	return VIRTCHNL_STATUS_SUCCESS;
}

static enum virtchnl_status_code
simnic_pf_vc_queues(struct simnic_pf_vf *vf, u8 *msg, bool enable)
{
	struct virtchnl_queue_select *qs = (void *)msg;
	unsigned long queues = qs->rx_queues | qs->tx_queues;
	u16 q;

	if (!simnic_pf_vsi_ok(vf, qs->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QSEL_VSI);
	if (!queues)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QSEL_NONE);
	if (queues >> vf->num_qps)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_QSEL_RANGE);
	for_each_set_bit(q, &queues, vf->num_qps)
		simnic_hw_pf_enable_queue(vf->pf->fn, vf->fn, q, enable);
	return VIRTCHNL_STATUS_SUCCESS;
}

/* The VF's counters, as the switch counts its function. Nothing is refused for an
 * unknown protocol and the switch takes every frame it is given, so
 * rx_unknown_protocol and tx_errors stay 0 (the VF does not show them).
 */
/* CONFIG_RSS_KEY: ice's key size only, as ice_vc_config_rss_key() takes it */
static enum virtchnl_status_code simnic_pf_vc_rss_key(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_rss_key *vrk = (void *)msg;

	lockdep_assert_held(&vf->pf->lock);
	if (!simnic_pf_vsi_ok(vf, vrk->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_RSS_VSI);
	if (vrk->key_len != SIMNIC_RSS_KEY_SIZE)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_RSS_KEY_LEN);
	if (simnic_hw_pf_set_rss_key(vf->pf->fn, vf->fn, vrk->key))
		return VIRTCHNL_STATUS_ERR_ADMIN_QUEUE_ERROR;
	return VIRTCHNL_STATUS_SUCCESS;
}

/* CONFIG_RSS_LUT: ice's table size, each entry one of the VF's queues */
static enum virtchnl_status_code simnic_pf_vc_rss_lut(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_rss_lut *vrl = (void *)msg;
	const u8 *lut = vrl->lut;	/* a one-byte array on 6.1 */
	u16 i;

	lockdep_assert_held(&vf->pf->lock);	/* num_qps */
	if (!simnic_pf_vsi_ok(vf, vrl->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_RSS_VSI);
	if (vrl->lut_entries != SIMNIC_RSS_LUT_SIZE)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_RSS_LUT_LEN);
	for (i = 0; i < SIMNIC_RSS_LUT_SIZE; i++)
		if (lut[i] >= vf->num_qps)
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_RSS_LUT_QUEUE);
	if (simnic_hw_pf_set_rss_lut(vf->pf->fn, vf->fn, lut))
		return VIRTCHNL_STATUS_ERR_ADMIN_QUEUE_ERROR;
	return VIRTCHNL_STATUS_SUCCESS;
}

static void simnic_pf_vc_get_stats(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_queue_select *qs = (void *)msg;
	struct simnic_vc_eth_stats es = {};
	struct simnic_hw_fn_stats st;

	lockdep_assert_held(&vf->pf->lock);
	if (!simnic_pf_vsi_ok(vf, qs->vsi_id)) {
		simnic_pf_vc_reply(vf, VIRTCHNL_OP_GET_STATS,
				   simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_STATS_VSI));
		return;
	}
	simnic_hw_fn_stats(vf->fn, &st);
	es.rx_bytes = st.rx_bytes;
	es.rx_unicast = st.rx_packets - st.rx_multicast;
	es.rx_multicast = st.rx_multicast - st.rx_broadcast;
	es.rx_broadcast = st.rx_broadcast;
	es.rx_discards = st.rx_dropped + st.rx_vlan_filtered + st.rx_oversize;
	es.tx_bytes = st.tx_bytes;
	es.tx_unicast = st.tx_packets - st.tx_multicast;
	es.tx_multicast = st.tx_multicast - st.tx_broadcast;
	es.tx_broadcast = st.tx_broadcast;
	es.tx_discards = st.tx_dropped + st.tx_spoofed;
	simnic_pf_vc_send(vf, VIRTCHNL_OP_GET_STATS, VIRTCHNL_STATUS_SUCCESS, &es,
			  sizeof(es));
}

/* The per-VF opcode allowlist, as ice's allowlist.c: what a VF may send depends on how
 * far it has got in the negotiation and on the capabilities it negotiated. A reset
 * brings it back to the minimum; anything else is refused, counted and logged.
 */
static const u32 simnic_pf_ops_reset[] = {	/* always: (re)start the negotiation */
	VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF,
};

static const u32 simnic_pf_ops_version[] = {	/* once the version is agreed */
	VIRTCHNL_OP_GET_VF_RESOURCES,
};

static const u32 simnic_pf_ops_active[] = {	/* once resources are given */
	VIRTCHNL_OP_CONFIG_VSI_QUEUES, VIRTCHNL_OP_CONFIG_IRQ_MAP,
	VIRTCHNL_OP_ENABLE_QUEUES, VIRTCHNL_OP_DISABLE_QUEUES, VIRTCHNL_OP_GET_STATS,
};

static const u32 simnic_pf_ops_l2[] = {
	VIRTCHNL_OP_ADD_ETH_ADDR, VIRTCHNL_OP_DEL_ETH_ADDR,
	VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE,
};

static const u32 simnic_pf_ops_vlan[] = {
	VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_OP_DEL_VLAN,
};

static const u32 simnic_pf_ops_vlan_v2[] = {
	VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS, VIRTCHNL_OP_ADD_VLAN_V2,
	VIRTCHNL_OP_DEL_VLAN_V2,
	VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2, VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2,
	VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2, VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2,
};

static const u32 simnic_pf_ops_rss[] = {
	VIRTCHNL_OP_CONFIG_RSS_KEY,
	VIRTCHNL_OP_CONFIG_RSS_LUT,
};

static const struct {
	u32 cap;			/* VIRTCHNL_VF_* */
	const u32 *ops;
	unsigned int n;
} simnic_pf_ops_by_cap[] = {
	{ VIRTCHNL_VF_OFFLOAD_L2, simnic_pf_ops_l2, ARRAY_SIZE(simnic_pf_ops_l2) },
	{ VIRTCHNL_VF_OFFLOAD_VLAN, simnic_pf_ops_vlan, ARRAY_SIZE(simnic_pf_ops_vlan) },
	{ VIRTCHNL_VF_OFFLOAD_VLAN_V2, simnic_pf_ops_vlan_v2,
	  ARRAY_SIZE(simnic_pf_ops_vlan_v2) },
	{ VIRTCHNL_VF_OFFLOAD_RSS_PF, simnic_pf_ops_rss, ARRAY_SIZE(simnic_pf_ops_rss) },
};

static void simnic_pf_vc_allow(struct simnic_pf_vf *vf, const u32 *ops, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		__set_bit(ops[i], vf->allowed_ops);
}

/**
 * simnic_pf_vc_allowlist_set - compute what @vf may send
 * @vf: the VF, whose state or negotiated capabilities just changed
 *
 * A reset the VF asked for still pending: RESET_VF only. Reset: VERSION and RESET_VF.
 * Version agreed: GET_VF_RESOURCES as well. Resources given: the queue and statistics
 * opcodes, and those of each negotiated capability.
 */
void simnic_pf_vc_allowlist_set(struct simnic_pf_vf *vf)
{
	unsigned int i;

	lockdep_assert_held(&vf->pf->lock);
	bitmap_zero(vf->allowed_ops, VIRTCHNL_OP_MAX);
	if (vf->reset_pending) {
		__set_bit(VIRTCHNL_OP_RESET_VF, vf->allowed_ops);
		return;
	}
	simnic_pf_vc_allow(vf, simnic_pf_ops_reset, ARRAY_SIZE(simnic_pf_ops_reset));
	if (vf->state == SIMNIC_PF_VF_STATE_RESET)
		return;
	simnic_pf_vc_allow(vf, simnic_pf_ops_version, ARRAY_SIZE(simnic_pf_ops_version));
	if (vf->state != SIMNIC_PF_VF_STATE_ACTIVE)
		return;
	simnic_pf_vc_allow(vf, simnic_pf_ops_active, ARRAY_SIZE(simnic_pf_ops_active));
	for (i = 0; i < ARRAY_SIZE(simnic_pf_ops_by_cap); i++)
		if (vf->caps & simnic_pf_ops_by_cap[i].cap)
			simnic_pf_vc_allow(vf, simnic_pf_ops_by_cap[i].ops,
					   simnic_pf_ops_by_cap[i].n);
}

static const char *simnic_pf_vf_state_str(enum simnic_pf_vf_state state)
{
	switch (state) {
	case SIMNIC_PF_VF_STATE_RESET:
		return "before VERSION";
	case SIMNIC_PF_VF_STATE_VERSION:
		return "before GET_VF_RESOURCES";
	case SIMNIC_PF_VF_STATE_ACTIVE:
		return "with the capabilities negotiated";
	}
	return "?";
}

static void simnic_pf_vc_dispatch(struct simnic_pf_vf *vf, struct simnic_mbx_msg *m)
{
	struct device *dev = &vf->pf->pdev->dev;
	enum virtchnl_status_code status;
	int err;

	lockdep_assert_held(&vf->pf->lock);

	if (m->opcode >= VIRTCHNL_OP_MAX || !test_bit(m->opcode, vf->allowed_ops)) {
		vf->mbx.refused++;
		status = simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_NOT_ALLOWED);
		simnic_pf_health_record(vf, SIMNIC_PF_HEALTH_REFUSED, m->opcode, m->len, 0);
		dev_warn_ratelimited(dev, "VF %u: opcode %u (%s) refused: not allowed %s\n",
				     vf->id, m->opcode, simnic_vc_op_str(m->opcode),
				     simnic_pf_vf_state_str(vf->state));
		simnic_pf_vc_reply(vf, m->opcode, status);
		return;
	}
	err = virtchnl_vc_validate_vf_msg(&vf->ver, m->opcode, m->data, m->len);
	if (err) {
		vf->mbx.invalid++;
		status = simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MALFORMED);
		simnic_pf_health_record(vf, SIMNIC_PF_HEALTH_MALFORMED, m->opcode, m->len, err);
		dev_warn_ratelimited(dev, "VF %u: opcode %u (%s) refused: malformed, length %u: %d\n",
				     vf->id, m->opcode, simnic_vc_op_str(m->opcode),
				     m->len, err);
		simnic_pf_vc_reply(vf, m->opcode, status);
		return;
	}
	simnic_pf_health_record(vf, SIMNIC_PF_HEALTH_OK, m->opcode, m->len, 0);

	switch (m->opcode) {
	case VIRTCHNL_OP_VERSION:
		simnic_pf_vc_version(vf, m->data);
		return;
	case VIRTCHNL_OP_RESET_VF:
		simnic_pf_vf_reset_request(vf);	/* no reply: the VF polls the reset status */
		return;
	case VIRTCHNL_OP_GET_VF_RESOURCES:
		simnic_pf_vc_get_resources(vf, m->data);
		return;
	case VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS:
		simnic_pf_vc_vlan_v2_caps(vf);
		return;
	case VIRTCHNL_OP_GET_STATS:
		simnic_pf_vc_get_stats(vf, m->data);
		return;
	case VIRTCHNL_OP_ADD_VLAN:
	case VIRTCHNL_OP_DEL_VLAN:
		status = simnic_pf_vc_vlan_v1(vf, m->data, m->opcode == VIRTCHNL_OP_ADD_VLAN);
		break;
	case VIRTCHNL_OP_ADD_VLAN_V2:
	case VIRTCHNL_OP_DEL_VLAN_V2:
		status = simnic_pf_vc_vlan_v2(vf, m->data,
					      m->opcode == VIRTCHNL_OP_ADD_VLAN_V2);
		break;
	case VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2:
	case VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2:
	case VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2:
	case VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2:
		status = simnic_pf_vc_vlan_offload(vf, m->data, m->opcode);
		break;
	case VIRTCHNL_OP_CONFIG_VSI_QUEUES:
		status = simnic_pf_vc_config_queues(vf, m->data);
		break;
	case VIRTCHNL_OP_CONFIG_IRQ_MAP:
		status = simnic_pf_vc_config_irq_map(vf, m->data);
		break;
	case VIRTCHNL_OP_ENABLE_QUEUES:
		status = simnic_pf_vc_queues(vf, m->data, true);
		break;
	case VIRTCHNL_OP_DISABLE_QUEUES:
		status = simnic_pf_vc_queues(vf, m->data, false);
		break;
	case VIRTCHNL_OP_ADD_ETH_ADDR:
		status = simnic_pf_vc_eth_addr(vf, m->data, true);
		break;
	case VIRTCHNL_OP_DEL_ETH_ADDR:
		status = simnic_pf_vc_eth_addr(vf, m->data, false);
		break;
	case VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE:
		status = simnic_pf_vc_promisc(vf, m->data);
		break;
	case VIRTCHNL_OP_CONFIG_RSS_KEY:
		status = simnic_pf_vc_rss_key(vf, m->data);
		break;
	case VIRTCHNL_OP_CONFIG_RSS_LUT:
		status = simnic_pf_vc_rss_lut(vf, m->data);
		break;
	default:
		status = VIRTCHNL_STATUS_ERR_NOT_SUPPORTED;
		break;
	}
	simnic_pf_vc_reply(vf, m->opcode, status);
}

/**
 * simnic_pf_mbx_lift_limit - serve @vf's mailbox again if it is rate-limited
 * @vf: the VF
 *
 * Its messages are read again; the caller resets the VF, so that it starts from a
 * clean state. Returns true if the VF was limited.
 */
bool simnic_pf_mbx_lift_limit(struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	if (!vf->mbx.limited)
		return false;
	vf->mbx.limited = false;
	return true;
}

/* When the penalty of rate-limited @vf ends, in jiffies */
static unsigned long simnic_pf_mbx_limit_end(const struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	return vf->mbx.limit_last + msecs_to_jiffies(vf->pf->mbx_penalty_ms);
}

/* The penalty of a rate-limited VF has run out: serve it again, from a reset */
static void simnic_pf_mbx_limit_check(struct simnic_pf_vf *vf)
{
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;

	lockdep_assert_held(&vf->pf->lock);
	if (!mbx->limited || time_before(jiffies, simnic_pf_mbx_limit_end(vf)))
		return;
	simnic_pf_mbx_lift_limit(vf);
	dev_warn(&vf->pf->pdev->dev,
		 "VF %u: mailbox flood over after %u ms, %llu messages dropped: resetting it\n",
		 vf->id, jiffies_to_msecs(jiffies - mbx->limit_start),
		 mbx->flood_dropped - mbx->limit_dropped);
	simnic_pf_trigger_vf_reset(vf);
}

/* Account message @m just read from @vf's mailbox, with @queued more behind it, and
 * detect a flood. Returns true if the message is to be dropped: the VF is limited.
 */
static bool simnic_pf_mbx_account(struct simnic_pf_vf *vf, const struct simnic_mbx_msg *m,
				  unsigned int queued)
{
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;
	unsigned long now = jiffies;

	lockdep_assert_held(&vf->pf->lock);
	mbx->received++;
	/* a window begins with its first message */
	if (!mbx->window_msgs ||
	    time_after_eq(now, mbx->window_start + msecs_to_jiffies(SIMNIC_PF_MBX_WINDOW_MS))) {
		mbx->window_start = now;
		mbx->window_msgs = 0;
		mbx->window_queued = 0;
	}
	mbx->window_msgs++;
	mbx->peak = max(mbx->peak, mbx->window_msgs);
	mbx->max_queued = max(mbx->max_queued, queued);
	if (mbx->limited) {
		/* the penalty runs from the last message queued behind another */
		if (queued)
			mbx->limit_last = now;
		mbx->flood_dropped++;
		return true;
	}
	if (!queued || ++mbx->window_queued <= SIMNIC_PF_MBX_FLOOD_MSGS)
		return false;
	mbx->limited = true;
	mbx->floods++;
	mbx->limit_start = now;
	mbx->limit_last = now;
	mbx->limit_dropped = mbx->flood_dropped;
	dev_warn(&vf->pf->pdev->dev,
		 "VF %u: mailbox flood (%u messages in %u ms): rate-limited for %u ms\n",
		 vf->id, mbx->window_msgs, jiffies_to_msecs(now - mbx->window_start),
		 vf->pf->mbx_penalty_ms);
	simnic_pf_health_record(vf, SIMNIC_PF_HEALTH_FLOOD, m->opcode, m->len, 0);
	mbx->window_start = now;
	mbx->window_msgs = 0;
	mbx->window_queued = 0;
	mbx->flood_dropped++;
	return true;
}

/* Serve @vf's mailbox, at most SIMNIC_PF_MBX_BUDGET messages. Returns true if some
 * are left for the next run.
 */
static bool simnic_pf_mbx_service_vf(struct simnic_pf_vf *vf)
{
	struct simnic_pf *pf = vf->pf;
	unsigned int n;

	lockdep_assert_held(&pf->lock);
	simnic_pf_mbx_limit_check(vf);
	for (n = 0; n < SIMNIC_PF_MBX_BUDGET; n++) {
		if (simnic_hw_mbx_recv(pf->fn, vf->id, pf->msg))
			return false;
		if (simnic_pf_mbx_account(vf, pf->msg, simnic_hw_mbx_pending(pf->fn, vf->id)))
			continue;
		simnic_pf_vc_dispatch(vf, pf->msg);
	}
	return simnic_hw_mbx_pending(pf->fn, vf->id);
}

/* Run the service task when the first penalty still running ends */
static void simnic_pf_mbx_watch_arm(struct simnic_pf *pf)
{
	unsigned long end = 0, e;
	bool any = false;
	u16 i;

	lockdep_assert_held(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++) {
		if (!pf->vfs[i].mbx.limited)
			continue;
		e = simnic_pf_mbx_limit_end(&pf->vfs[i]);
		if (!any || time_before(e, end))
			end = e;
		any = true;
	}
	if (any)
		mod_delayed_work(system_wq, &pf->mbx_watch,
				 time_after(end, jiffies) ? end - jiffies : 0);
}

/**
 * simnic_pf_mbx_penalty_set - set how long a flooding VF stays rate-limited
 * @pf: the PF
 * @ms: milliseconds after its last message queued behind another, at most
 *      SIMNIC_PF_MBX_PENALTY_MAX_MS
 *
 * Applies to the VFs limited now as well: a shorter penalty that has run out ends
 * their limit at once. Returns 0, or -ERANGE with nothing changed.
 */
int simnic_pf_mbx_penalty_set(struct simnic_pf *pf, u64 ms)
{
	if (ms > SIMNIC_PF_MBX_PENALTY_MAX_MS)
		return -ERANGE;
	mutex_lock(&pf->lock);
	pf->mbx_penalty_ms = ms;
	simnic_pf_mbx_watch_arm(pf);
	mutex_unlock(&pf->lock);
	return 0;
}

void simnic_pf_mbx_watch(struct work_struct *work)
{
	struct simnic_pf *pf = container_of(to_delayed_work(work), struct simnic_pf,
					    mbx_watch);

	queue_work(system_wq, &pf->service_task);
}

void simnic_pf_process_mailboxes(struct simnic_pf *pf)
{
	bool more = false;
	u16 i;

	mutex_lock(&pf->lock);
	for (i = 0; i < pf->num_vfs && !pf->in_service; i++)
		more |= simnic_pf_mbx_service_vf(&pf->vfs[i]);
	simnic_pf_mbx_watch_arm(pf);
	mutex_unlock(&pf->lock);
	/* what is left waits for the next run, after the other VFs' turns */
	if (more)
		queue_work(system_wq, &pf->service_task);
}

/* only in the build/kunit modules (make modules-kunit), not at every load */
#if IS_ENABLED(CONFIG_SIMNIC_KUNIT_TEST)
#include "simnic_pf_virtchnl_test.c"
#endif
