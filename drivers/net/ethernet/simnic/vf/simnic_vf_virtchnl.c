// SPDX-License-Identifier: GPL-2.0
/* The VF side of virtchnl: requests to the PF and the handling of its replies */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include "simnic_vf.h"

#define SIMNIC_VF_CAPS	(VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_CAP_ADV_LINK_SPEED | \
			 VIRTCHNL_VF_OFFLOAD_VLAN | VIRTCHNL_VF_OFFLOAD_VLAN_V2 | \
			 VIRTCHNL_VF_OFFLOAD_RSS_PF | SIMNIC_VF_OFFLOAD_RX_GSO)
/* the fastest link ethtool has a mode for (SPEED_800000), in Mb/s */
#define SIMNIC_VF_MAX_SPEED_MBPS	800000

int simnic_vf_send(struct simnic_vf *vf, u32 op, const void *msg, u16 len)
{
	int err;

	lockdep_assert_held(&vf->lock);
	err = simnic_hw_mbx_send(vf->fn, 0, op, 0, msg, len);
	if (err) {
		dev_dbg(&vf->pdev->dev, "cannot send opcode %u (%s): %d\n", op,
			simnic_vc_op_str(op), err);
		return err;
	}
	vf->vc.current_op = op;
	vf->vc.op_deadline = jiffies + SIMNIC_VF_OP_TIMEOUT;
	vf->cnt.vc_sent++;
	return 0;
}

int simnic_vf_send_version(struct simnic_vf *vf)
{
	struct virtchnl_version_info ver = {
		.major = VIRTCHNL_VERSION_MAJOR,
		.minor = VIRTCHNL_VERSION_MINOR,
	};

	return simnic_vf_send(vf, VIRTCHNL_OP_VERSION, &ver, sizeof(ver));
}

int simnic_vf_send_get_resources(struct simnic_vf *vf)
{
	u32 caps = SIMNIC_VF_CAPS;

	return simnic_vf_send(vf, VIRTCHNL_OP_GET_VF_RESOURCES, &caps, sizeof(caps));
}

static int simnic_vf_send_add_mac(struct simnic_vf *vf, const u8 *addr)
{
	/* room for the message of one address on either side of 6.7 (simnic_compat.h) */
	u8 buf[sizeof(struct virtchnl_ether_addr_list) +
	       2 * sizeof(struct virtchnl_ether_addr)] __aligned(4) = {};
	struct virtchnl_ether_addr_list *al = (void *)buf;

	al->vsi_id = vf->vc.vsi_id;
	al->num_elements = 1;
	ether_addr_copy(al->list[0].addr, addr);
	al->list[0].type = VIRTCHNL_ETHER_ADDR_PRIMARY;
	return simnic_vf_send(vf, VIRTCHNL_OP_ADD_ETH_ADDR, al,
			      simnic_vc_size(al, list, 1));
}

static int simnic_vf_send_config_queues(struct simnic_vf *vf)
{
	struct virtchnl_vsi_queue_config_info *qci;
	struct virtchnl_queue_pair_info *qpi;
	size_t len;
	int err;
	u16 i;

	len = simnic_vc_size(qci, qpair, vf->num_qps);
	if (simnic_vf_inject_count(&simnic_vf_fail_queues, "the queue configuration"))
		return -ENOMEM;
	qci = kzalloc(len, GFP_KERNEL);
	if (!qci)
		return -ENOMEM;
	qci->vsi_id = vf->vc.vsi_id;
	qci->num_queue_pairs = vf->num_qps;
	for (i = 0; i < vf->num_qps; i++) {
		qpi = &qci->qpair[i];
		qpi->txq.vsi_id = vf->vc.vsi_id;
		qpi->txq.queue_id = i;
		qpi->txq.ring_len = vf->tx_ring_len;
		qpi->rxq.vsi_id = vf->vc.vsi_id;
		qpi->rxq.queue_id = i;
		qpi->rxq.ring_len = vf->rx_ring_len;
		/* a tagged frame of the MTU (the VF tags in software) */
		qpi->rxq.max_pkt_size = READ_ONCE(vf->netdev->mtu) + VLAN_ETH_HLEN + ETH_FCS_LEN;
		qpi->rxq.databuffer_size = vf->rx_gso && (vf->vc.caps & SIMNIC_VF_OFFLOAD_RX_GSO) ?
					   SIMNIC_VC_RX_GSO_BUF : SIMNIC_MAX_FRAME;
	}
	err = simnic_vf_send(vf, VIRTCHNL_OP_CONFIG_VSI_QUEUES, qci, len);
	kfree(qci);
	return err;
}

static int simnic_vf_send_map_vectors(struct simnic_vf *vf)
{
	struct virtchnl_irq_map_info *imi;
	struct virtchnl_vector_map *map;
	size_t len;
	int err;
	u16 i;

	len = simnic_vc_size(imi, vecmap, vf->num_qps);
	imi = kzalloc(len, GFP_KERNEL);
	if (!imi)
		return -ENOMEM;
	imi->num_vectors = vf->num_qps;
	for (i = 0; i < vf->num_qps; i++) {
		map = &imi->vecmap[i];
		map->vsi_id = vf->vc.vsi_id;
		map->vector_id = i + 1;
		map->rxq_map = BIT(i);
		map->txq_map = BIT(i);
	}
	err = simnic_vf_send(vf, VIRTCHNL_OP_CONFIG_IRQ_MAP, imi, len);
	kfree(imi);
	return err;
}

/**
 * simnic_vf_rss_lut_default - the table spread over the channels in use
 * @vf: the VF
 *
 * Unless the user set one (ethtool -X): then it stays, and ethtool keeps the channel
 * count from going below what it names.
 */
void simnic_vf_rss_lut_default(struct simnic_vf *vf)
{
	u16 i;

	lockdep_assert_held(&vf->lock);
	if (vf->netdev && netif_is_rxfh_configured(vf->netdev))
		return;
	for (i = 0; i < vf->rss.lut_size; i++)
		vf->rss.lut[i] = ethtool_rxfh_indir_default(i, vf->num_qps);
}

/* Send the key and the table after the queues, if the PF gave us RSS */
void simnic_vf_rss_request(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	if (!vf->rss.key_size)
		return;
	set_bit(SIMNIC_VF_AQ_RSS_KEY, &vf->vc.aq_required);
	set_bit(SIMNIC_VF_AQ_RSS_LUT, &vf->vc.aq_required);
}

static int simnic_vf_send_rss_key(struct simnic_vf *vf)
{
	struct virtchnl_rss_key *vrk;
	size_t len;
	u8 *dst;
	int err;

	len = simnic_vc_size_v2(vrk, key, vf->rss.key_size);
	vrk = kzalloc(len, GFP_KERNEL);
	if (!vrk)
		return -ENOMEM;
	vrk->vsi_id = vf->vc.vsi_id;
	vrk->key_len = vf->rss.key_size;
	/* through a pointer: on 6.1 the member is a one-byte array */
	dst = vrk->key;
	memcpy(dst, vf->rss.key, vf->rss.key_size);
	err = simnic_vf_send(vf, VIRTCHNL_OP_CONFIG_RSS_KEY, vrk, len);
	kfree(vrk);
	return err;
}

static int simnic_vf_send_rss_lut(struct simnic_vf *vf)
{
	struct virtchnl_rss_lut *vrl;
	size_t len;
	u8 *dst;
	int err;

	simnic_vf_rss_lut_default(vf);
	len = simnic_vc_size_v2(vrl, lut, vf->rss.lut_size);
	vrl = kzalloc(len, GFP_KERNEL);
	if (!vrl)
		return -ENOMEM;
	vrl->vsi_id = vf->vc.vsi_id;
	vrl->lut_entries = vf->rss.lut_size;
	dst = vrl->lut;
	memcpy(dst, vf->rss.lut, vf->rss.lut_size);
	err = simnic_vf_send(vf, VIRTCHNL_OP_CONFIG_RSS_LUT, vrl, len);
	kfree(vrl);
	return err;
}

/* Enable the queues in use; disable every queue the PF granted, so that none used
 * before a change of the channel count stays enabled
 */
static int simnic_vf_send_queues(struct simnic_vf *vf, bool enable)
{
	u32 mask = BIT(enable ? vf->num_qps : vf->max_qps) - 1;
	struct virtchnl_queue_select qs = {
		.vsi_id = vf->vc.vsi_id,
		.rx_queues = mask,
		.tx_queues = mask,
	};

	return simnic_vf_send(vf, enable ? VIRTCHNL_OP_ENABLE_QUEUES :
			      VIRTCHNL_OP_DISABLE_QUEUES, &qs, sizeof(qs));
}

static int simnic_vf_send_get_stats(struct simnic_vf *vf)
{
	struct virtchnl_queue_select qs = {
		.vsi_id = vf->vc.vsi_id,
	};

	return simnic_vf_send(vf, VIRTCHNL_OP_GET_STATS, &qs, sizeof(qs));
}

/* A request that got no answer: queue it again (VLANs are handled by their list) */
void simnic_vf_requeue(struct simnic_vf *vf, u32 op)
{
	static const struct {
		u32 op;
		unsigned int bit;
	} map[] = {
		{ VIRTCHNL_OP_ADD_ETH_ADDR, SIMNIC_VF_AQ_ADD_MAC },
		{ VIRTCHNL_OP_CONFIG_VSI_QUEUES, SIMNIC_VF_AQ_CONFIG_QUEUES },
		{ VIRTCHNL_OP_CONFIG_IRQ_MAP, SIMNIC_VF_AQ_MAP_VECTORS },
		{ VIRTCHNL_OP_ENABLE_QUEUES, SIMNIC_VF_AQ_ENABLE_QUEUES },
		{ VIRTCHNL_OP_DISABLE_QUEUES, SIMNIC_VF_AQ_DISABLE_QUEUES },
		{ VIRTCHNL_OP_CONFIG_RSS_KEY, SIMNIC_VF_AQ_RSS_KEY },
		{ VIRTCHNL_OP_CONFIG_RSS_LUT, SIMNIC_VF_AQ_RSS_LUT },
		{ VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2, SIMNIC_VF_AQ_VLAN_STRIP },
		{ VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2, SIMNIC_VF_AQ_VLAN_STRIP },
		{ VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2, SIMNIC_VF_AQ_VLAN_INSERT },
		{ VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2, SIMNIC_VF_AQ_VLAN_INSERT },
	};
	unsigned int i;

	lockdep_assert_held(&vf->lock);
	if ((op == VIRTCHNL_OP_ADD_ETH_ADDR || op == VIRTCHNL_OP_DEL_ETH_ADDR) &&
	    vf->addr.sent) {
		simnic_vf_addr_timeout(vf);
		return;
	}
	if (op == VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE) {
		set_bit(SIMNIC_VF_AQ_PROMISC, &vf->vc.aq_required);
		return;
	}
	if (op == VIRTCHNL_OP_ADD_ETH_ADDR && vf->mac_req_sent) {
		vf->mac_req_sent = false;
		set_bit(SIMNIC_VF_AQ_CHANGE_MAC, &vf->vc.aq_required);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].op == op)
			set_bit(map[i].bit, &vf->vc.aq_required);
	simnic_vf_vlan_timeout(vf);
}

/* Send the highest-priority request the driver queued, if any. Returns how long
 * V2 VLAN adds are held back for a fuller batch (0: none are).
 */
unsigned long simnic_vf_send_next(struct simnic_vf *vf)
{
	unsigned long bit, hold = 0;
	int err;

	lockdep_assert_held(&vf->lock);

	for_each_set_bit(bit, &vf->vc.aq_required, SIMNIC_VF_AQ_NBITS) {
		switch (bit) {
		case SIMNIC_VF_AQ_ADD_MAC:
			err = simnic_vf_send_add_mac(vf, vf->mac);
			break;
		case SIMNIC_VF_AQ_CHANGE_MAC:
			err = simnic_vf_send_add_mac(vf, vf->mac_req);
			vf->mac_req_sent = !err;
			break;
		case SIMNIC_VF_AQ_DEL_VLAN:
			err = simnic_vf_send_vlans(vf, false);
			break;
		case SIMNIC_VF_AQ_ADD_VLAN:
			hold = simnic_vf_vlan_hold(vf);
			if (hold)
				continue;	/* something else may go first */
			err = simnic_vf_send_vlans(vf, true);
			break;
		case SIMNIC_VF_AQ_VLAN_STRIP:
			err = simnic_vf_vlan_offload_send(vf, true);
			break;
		case SIMNIC_VF_AQ_VLAN_INSERT:
			err = simnic_vf_vlan_offload_send(vf, false);
			break;
		case SIMNIC_VF_AQ_DEL_ADDRS:
			err = simnic_vf_addr_send(vf, false);
			break;
		case SIMNIC_VF_AQ_ADD_ADDRS:
			err = simnic_vf_addr_send(vf, true);
			break;
		case SIMNIC_VF_AQ_PROMISC:
			err = simnic_vf_promisc_send(vf);
			break;
		case SIMNIC_VF_AQ_CONFIG_QUEUES:
			err = simnic_vf_send_config_queues(vf);
			break;
		case SIMNIC_VF_AQ_MAP_VECTORS:
			err = simnic_vf_send_map_vectors(vf);
			break;
		case SIMNIC_VF_AQ_ENABLE_QUEUES:
			err = simnic_vf_send_queues(vf, true);
			break;
		case SIMNIC_VF_AQ_RSS_KEY:
			err = simnic_vf_send_rss_key(vf);
			break;
		case SIMNIC_VF_AQ_RSS_LUT:
			err = simnic_vf_send_rss_lut(vf);
			break;
		case SIMNIC_VF_AQ_DISABLE_QUEUES:
			err = simnic_vf_send_queues(vf, false);
			break;
		case SIMNIC_VF_AQ_GET_STATS:
			err = simnic_vf_send_get_stats(vf);
			break;
		default:
			return hold;
		}
		if (!err)
			clear_bit(bit, &vf->vc.aq_required);
		return hold;
	}
	return hold;
}

/* RSS sizes the PF gives, if it gave RSS at all: at most what simnic's device has.
 * The key is drawn once and kept across resets, as iavf keeps its own.
 */
static void simnic_vf_got_rss(struct simnic_vf *vf, const struct virtchnl_vf_resource *res)
{
	vf->rss.key_size = 0;
	vf->rss.lut_size = 0;
	if (!(vf->vc.caps & VIRTCHNL_VF_OFFLOAD_RSS_PF))
		return;
	if (!res->rss_key_size || res->rss_key_size > SIMNIC_RSS_KEY_SIZE ||
	    !res->rss_lut_size || res->rss_lut_size > SIMNIC_RSS_LUT_SIZE) {
		dev_warn(&vf->pdev->dev, "PF gave RSS with a %u-byte key and a %u-entry table: RSS off\n",
			 res->rss_key_size, res->rss_lut_size);
		vf->vc.caps &= ~VIRTCHNL_VF_OFFLOAD_RSS_PF;
		return;
	}
	vf->rss.key_size = res->rss_key_size;
	vf->rss.lut_size = res->rss_lut_size;
	if (!vf->rss.key_filled) {
		netdev_rss_key_fill(vf->rss.key, sizeof(vf->rss.key));
		vf->rss.key_filled = true;
	}
}

/* What the PF grants is checked as iavf checks it: one usable VSI, and no more than
 * the VF asked for (capabilities) or can use (queue pairs); the rest is ignored, said
 * once per negotiation
 */
static void simnic_vf_got_resources(struct simnic_vf *vf, struct simnic_mbx_msg *m)
{
	struct virtchnl_vf_resource *res = (void *)m->data;
	struct virtchnl_vsi_resource *vsi = &res->vsi_res[0];
	struct device *dev = &vf->pdev->dev;
	u16 nq;

	/* one VSI, which the size counts (simnic_compat.h) */
	if (m->len < simnic_vc_size(res, vsi_res, 0) || !res->num_vsis ||
	    vsi->vsi_type != VIRTCHNL_VSI_SRIOV ||
	    !vsi->num_queue_pairs || !is_valid_ether_addr(vsi->default_mac_addr)) {
		dev_err(&vf->pdev->dev, "PF gave unusable resources, retrying\n");
		vf->state = SIMNIC_VF_STARTUP;
		return;
	}
	if (res->vf_cap_flags & ~SIMNIC_VF_CAPS)
		dev_warn(dev, "PF granted capabilities this VF did not ask for (%#x): ignored\n",
			 (u32)(res->vf_cap_flags & ~SIMNIC_VF_CAPS));
	vf->vc.caps = res->vf_cap_flags & SIMNIC_VF_CAPS;
	vf->vc.vsi_id = vsi->vsi_id;
	nq = min(res->num_queue_pairs, vsi->num_queue_pairs);
	if (nq > SIMNIC_MAX_QUEUES) {
		dev_warn(dev, "PF offers %u queue pairs: this VF takes %u\n", nq,
			 SIMNIC_MAX_QUEUES);
		nq = SIMNIC_MAX_QUEUES;
	}
	vf->max_qps = nq;
	simnic_vf_got_rss(vf, res);
	/* a PF that says nothing gets the largest frame the device takes */
	vf->max_mtu = SIMNIC_MAX_FRAME - VLAN_ETH_HLEN - ETH_FCS_LEN;
	if (res->max_mtu >= ETH_MIN_MTU && res->max_mtu < vf->max_mtu)
		vf->max_mtu = res->max_mtu;
	ether_addr_copy(vf->mac, vsi->default_mac_addr);
	set_bit(SIMNIC_VF_AQ_ADD_MAC, &vf->vc.aq_required);

	vf->vlan.max = 0;
	if (vf->vc.caps & VIRTCHNL_VF_OFFLOAD_VLAN_V2) {
		/* The limit and the tag format come in one more round trip */
		if (simnic_vf_send(vf, VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS, NULL, 0))
			vf->state = SIMNIC_VF_STARTUP;
		else
			vf->state = SIMNIC_VF_INIT_VLAN_CAPS;
		return;
	}
	vf->vlan.proto = vf->vc.caps & VIRTCHNL_VF_OFFLOAD_VLAN ? SIMNIC_VF_VLAN_V1 :
							      SIMNIC_VF_VLAN_OFF;
	simnic_vf_vlan_offers(vf, NULL);	/* VLAN V1 has none we use */
	vf->state = SIMNIC_VF_INIT_NETDEV;
}

static void simnic_vf_got_event(struct simnic_vf *vf, struct simnic_mbx_msg *m)
{
	struct virtchnl_pf_event *ev = (void *)m->data;
	u32 speed;

	if (m->len < sizeof(*ev)) {
		dev_err_ratelimited(&vf->pdev->dev, "short event from PF (%u bytes)\n",
				    m->len);
		return;
	}
	switch (ev->event) {
	case VIRTCHNL_EVENT_LINK_CHANGE:
		if (vf->vc.caps & VIRTCHNL_VF_CAP_ADV_LINK_SPEED) {
			speed = ev->event_data.link_event_adv.link_speed;
			if (speed > SIMNIC_VF_MAX_SPEED_MBPS) {
				dev_warn_ratelimited(&vf->pdev->dev, "PF reported a link speed of %u Mbps: shown as unknown\n",
						     speed);
				speed = SPEED_UNKNOWN;
			}
			simnic_vf_set_link(vf, ev->event_data.link_event_adv.link_status,
					   speed);
		} else {
			simnic_vf_set_link(vf, ev->event_data.link_event.link_status,
					   SPEED_UNKNOWN);
		}
		break;
	case VIRTCHNL_EVENT_RESET_IMPENDING:
		/* The reset itself is seen through the device's reset count */
		dev_info(&vf->pdev->dev, "the PF announced a reset of this VF\n");
		vf->cnt.resets_announced++;
		break;
	default:
		dev_warn_ratelimited(&vf->pdev->dev, "PF event %d unknown: ignored\n",
				     ev->event);
		break;
	}
}

/* A reset is under way (or a new driver binds): replies still in the mailbox answer
 * requests of before, so they are dropped. With @events, the PF's events are read
 * first: the RESET_IMPENDING that announced this reset is among them.
 */
void simnic_vf_mbx_drain(struct simnic_vf *vf, bool events)
{
	lockdep_assert_held(&vf->lock);
	while (!simnic_hw_mbx_recv(vf->fn, 0, vf->msg)) {
		if (events && vf->msg->opcode == VIRTCHNL_OP_EVENT)
			simnic_vf_got_event(vf, vf->msg);
		else
			vf->cnt.stale_dropped++;
	}
}

/* A message from the PF: an event, or the reply to the request in flight */
void simnic_vf_process_msg(struct simnic_vf *vf, struct simnic_mbx_msg *m)
{
	struct device *dev = &vf->pdev->dev;

	lockdep_assert_held(&vf->lock);

	if (m->opcode == VIRTCHNL_OP_EVENT) {
		simnic_vf_got_event(vf, m);
		return;
	}
	if (m->opcode != vf->vc.current_op) {
		dev_warn_ratelimited(dev, "unexpected reply to opcode %u (%s) (waiting for %u (%s))\n",
				     m->opcode, simnic_vc_op_str(m->opcode), vf->vc.current_op,
				     simnic_vc_op_str(vf->vc.current_op));
		return;
	}
	vf->vc.current_op = VIRTCHNL_OP_UNKNOWN;
	switch (m->opcode) {
	case VIRTCHNL_OP_DEL_ETH_ADDR:
		if (vf->addr.sent)
			simnic_vf_addr_reply(vf, m->opcode, m->retval);
		return;
	case VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE:
		simnic_vf_promisc_reply(vf, m->retval);
		return;
	case VIRTCHNL_OP_ADD_ETH_ADDR:
		if (vf->addr.sent) {
			simnic_vf_addr_reply(vf, m->opcode, m->retval);
			return;
		}
		if (!vf->mac_req_sent)
			break;
		/* the answer to ndo_set_mac_address, which tells the user */
		vf->mac_req_sent = false;
		if (vf->mac_req_err == -EINPROGRESS) {
			vf->mac_req_err = m->retval ? -EPERM : 0;
			wake_up_all(&vf->vc.wq);
		}
		return;
	case VIRTCHNL_OP_ADD_VLAN:
	case VIRTCHNL_OP_DEL_VLAN:
	case VIRTCHNL_OP_ADD_VLAN_V2:
	case VIRTCHNL_OP_DEL_VLAN_V2:
		simnic_vf_vlan_reply(vf, m->opcode, m->retval);
		return;
	case VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS:
		simnic_vf_vlan_caps(vf, m);
		vf->state = SIMNIC_VF_INIT_NETDEV;
		return;
	case VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2:
	case VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2:
	case VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2:
	case VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2:
		simnic_vf_vlan_offload_reply(vf, m->opcode, m->retval);
		return;
	case VIRTCHNL_OP_GET_STATS:
		if (!m->retval && m->len >= sizeof(vf->eth_stats))
			memcpy(&vf->eth_stats, m->data, sizeof(vf->eth_stats));
		else
			dev_warn_ratelimited(dev, "no counters from the PF: status %d, %u bytes\n",
					     m->retval, m->len);
		/* ethtool -S waits for an answer, not for success */
		vf->eth_stats_seq++;
		wake_up_all(&vf->vc.wq);
		return;
	default:
		break;
	}
	if (m->retval) {
		dev_err(dev, "PF refused opcode %u (%s): %d\n", m->opcode,
			simnic_vc_op_str(m->opcode), m->retval);
		if (vf->state < SIMNIC_VF_INIT_NETDEV)
			vf->state = SIMNIC_VF_STARTUP;
		return;
	}

	switch (m->opcode) {
	case VIRTCHNL_OP_VERSION:
		if (m->len < sizeof(vf->vc.pf_ver)) {
			vf->state = SIMNIC_VF_STARTUP;
			break;
		}
		memcpy(&vf->vc.pf_ver, m->data, sizeof(vf->vc.pf_ver));
		if (vf->vc.pf_ver.major != VIRTCHNL_VERSION_MAJOR) {
			dev_err(dev, "PF speaks virtchnl %u.%u, we need %u.x\n",
				vf->vc.pf_ver.major, vf->vc.pf_ver.minor, VIRTCHNL_VERSION_MAJOR);
			vf->state = SIMNIC_VF_STARTUP;
			break;
		}
		if (simnic_vf_send_get_resources(vf))
			vf->state = SIMNIC_VF_STARTUP;
		else
			vf->state = SIMNIC_VF_INIT_RESOURCES;
		break;
	case VIRTCHNL_OP_GET_VF_RESOURCES:
		simnic_vf_got_resources(vf, m);
		break;
	case VIRTCHNL_OP_ENABLE_QUEUES:
		simnic_vf_queues_enabled(vf);
		break;
	default:
		break;
	}
}
