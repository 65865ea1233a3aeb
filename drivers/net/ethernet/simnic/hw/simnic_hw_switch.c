// SPDX-License-Identifier: GPL-2.0
/* The embedded switch (VEB) and the queues it feeds. A frame sent on a function's tx
 * queue is copied ("DMA") into the rx queue of every function it is addressed to:
 * unicast by the destination MAC filters the PF programmed, broadcast and multicast to
 * every other function. The rx queue is chosen by the frame's flow hash (RSS). A TSO
 * frame reaches an rx queue that takes GSO frames as one frame that shares the
 * sender's pages (__pskb_copy()), and any other queue segmented (skb_gso_segment()).
 * In switchdev mode there is no VEB: what a VF sends goes to the PF driver's
 * representor handler, and the PF driver sends to a VF through
 * simnic_hw_pf_rep_xmit() (see simnic_hw_if.h).
 */
#include <linux/etherdevice.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <net/flow_dissector.h>
#include "simnic_hw.h"

void simnic_rxq_purge(struct simnic_fn *fn, u16 qid)
{
	struct simnic_rxq *rxq = &fn->rxq[qid];
	struct sk_buff_head purge;

	__skb_queue_head_init(&purge);
	clear_bit(qid, &fn->rxq_enabled);
	spin_lock_bh(&rxq->lock);
	rxq->enabled = false;
	rxq->armed = false;
	skb_queue_splice_init(&rxq->frames, &purge);
	spin_unlock_bh(&rxq->lock);
	__skb_queue_purge(&purge);
}

static struct simnic_fn *simnic_sw_target(struct simnic_fn *pf,
					  struct simnic_fn *target)
{
	if (WARN_ON(pf->is_vf) || !target || target->card != pf->card)
		return NULL;
	return target;
}

int simnic_hw_pf_cfg_queue(struct simnic_fn *pf, struct simnic_fn *target,
			   u16 qid, u16 ring_len, u16 max_frame, u16 vector, bool gso)
{
	struct simnic_rxq *rxq;

	target = simnic_sw_target(pf, target);
	if (!target || qid >= SIMNIC_MAX_QUEUES || vector >= SIMNIC_MAX_VECTORS ||
	    ring_len < SIMNIC_RING_MIN || ring_len > SIMNIC_RING_MAX ||
	    max_frame < ETH_ZLEN + ETH_FCS_LEN || max_frame > SIMNIC_MAX_FRAME)
		return -EINVAL;
	rxq = &target->rxq[qid];
	spin_lock_bh(&rxq->lock);
	if (rxq->enabled) {
		spin_unlock_bh(&rxq->lock);
		return -EBUSY;
	}
	rxq->ring_len = ring_len;
	rxq->max_frame = max_frame;
	WRITE_ONCE(rxq->gso, gso);
	rxq->vector = vector;
	spin_unlock_bh(&rxq->lock);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_cfg_queue);

int simnic_hw_pf_cfg_txq(struct simnic_fn *pf, struct simnic_fn *target, u16 qid,
			 u16 ring_len, u16 vector)
{
	struct simnic_txq *txq;

	target = simnic_sw_target(pf, target);
	if (!target || qid >= SIMNIC_MAX_QUEUES || vector >= SIMNIC_MAX_VECTORS ||
	    ring_len < SIMNIC_RING_MIN || ring_len > SIMNIC_RING_MAX)
		return -EINVAL;
	if (test_bit(qid, &target->txq_enabled))
		return -EBUSY;
	txq = &target->txq[qid];
	spin_lock_bh(&txq->lock);
	txq->ring_len = ring_len;
	txq->vector = vector;
	txq->peak = 0;
	spin_unlock_bh(&txq->lock);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_cfg_txq);

int simnic_hw_pf_enable_queue(struct simnic_fn *pf, struct simnic_fn *target,
			      u16 qid, bool enable)
{
	struct simnic_rxq *rxq;

	target = simnic_sw_target(pf, target);
	if (!target || qid >= SIMNIC_MAX_QUEUES)
		return -EINVAL;
	if (enable && simnic_card_away(pf->card))
		return -EIO;
	if (!enable) {
		simnic_txq_purge(target, qid);
		simnic_rxq_purge(target, qid);
		return 0;
	}
	rxq = &target->rxq[qid];
	spin_lock_bh(&rxq->lock);
	rxq->enabled = true;
	spin_unlock_bh(&rxq->lock);
	set_bit(qid, &target->rxq_enabled);
	set_bit(qid, &target->txq_enabled);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_enable_queue);

void simnic_hw_pf_disable_all_queues(struct simnic_fn *pf, struct simnic_fn *target)
{
	u16 q;

	for (q = 0; q < SIMNIC_MAX_QUEUES; q++)
		simnic_hw_pf_enable_queue(pf, target, q, false);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_disable_all_queues);

/* Does a function other than @target filter on unicast @addr? */
static bool simnic_sw_mac_taken(struct simnic_card *card, struct simnic_fn *target,
				const u8 *addr)
{
	struct simnic_mac_filters *macs;
	struct simnic_fn *fn;
	unsigned int i, k;

	lockdep_assert_held(&card->sw_lock);
	for (i = 0; i <= card->total_vfs; i++) {
		fn = i ? &card->vfs[i - 1] : &card->pf;
		if (fn == target)
			continue;
		macs = rcu_dereference_protected(fn->macs, lockdep_is_held(&card->sw_lock));
		for (k = 0; macs && k < macs->count; k++)
			if (ether_addr_equal(macs->addr[k], addr))
				return true;
	}
	return false;
}

int simnic_hw_pf_set_mac_filter(struct simnic_fn *pf, struct simnic_fn *target,
				const u8 *addr, bool add)
{
	struct simnic_mac_filters *old, *new;
	struct simnic_card *card = pf->card;
	unsigned int i, found;
	int err = 0;

	target = simnic_sw_target(pf, target);
	if (!target || is_zero_ether_addr(addr) || is_broadcast_ether_addr(addr))
		return -EINVAL;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&card->sw_lock);
	/* under the lock: a card going away blanks the tables under it too */
	if (simnic_card_away(card)) {
		err = -EIO;
		goto out_unlock;
	}
	/* unicast goes to the first function that has it: one only may */
	if (add && !is_multicast_ether_addr(addr) && simnic_sw_mac_taken(card, target, addr)) {
		err = -EADDRINUSE;
		goto out_unlock;
	}
	old = rcu_dereference_protected(target->macs, lockdep_is_held(&card->sw_lock));
	found = SIMNIC_MAC_FILTERS;
	for (i = 0; old && i < old->count; i++) {
		if (ether_addr_equal(old->addr[i], addr))
			found = i;
		else
			ether_addr_copy(new->addr[new->count++], old->addr[i]);
	}
	if (add) {
		if (found == SIMNIC_MAC_FILTERS && new->count == SIMNIC_MAC_FILTERS) {
			err = -ENOSPC;
			goto out_unlock;
		}
		ether_addr_copy(new->addr[new->count++], addr);
	} else if (found == SIMNIC_MAC_FILTERS) {
		err = -ENOENT;
		goto out_unlock;
	}
	rcu_assign_pointer(target->macs, new);
	new = old;
out_unlock:
	mutex_unlock(&card->sw_lock);
	kfree_rcu(new, rcu);
	return err;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_mac_filter);

void simnic_hw_pf_clear_filters(struct simnic_fn *pf, struct simnic_fn *target)
{
	struct simnic_mac_filters *old;
	struct simnic_rss *rss;

	target = simnic_sw_target(pf, target);
	if (!target)
		return;
	mutex_lock(&pf->card->sw_lock);
	old = rcu_replace_pointer(target->macs, NULL,
				  lockdep_is_held(&pf->card->sw_lock));
	rss = rcu_replace_pointer(target->rss, NULL, lockdep_is_held(&pf->card->sw_lock));
	bitmap_zero(target->vlans, VLAN_N_VID);
	WRITE_ONCE(target->promisc, false);
	WRITE_ONCE(target->allmulti, false);
	mutex_unlock(&pf->card->sw_lock);
	kfree_rcu(old, rcu);
	kfree_rcu(rss, rcu);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_clear_filters);

/* A new RSS configuration of @target: @key or @lut (the other kept) */
static int simnic_sw_set_rss(struct simnic_fn *pf, struct simnic_fn *target,
			     const u8 *key, const u8 *lut)
{
	struct simnic_card *card = pf->card;
	struct simnic_rss *old, *new;
	unsigned int i;
	int err = 0;

	target = simnic_sw_target(pf, target);
	if (!target || !target->is_vf)
		return -EINVAL;
	for (i = 0; lut && i < SIMNIC_RSS_LUT_SIZE; i++)
		if (lut[i] >= SIMNIC_MAX_QUEUES)
			return -EINVAL;
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&card->sw_lock);
	if (simnic_card_away(card)) {
		err = -EIO;
		goto out_unlock;
	}
	old = rcu_dereference_protected(target->rss, lockdep_is_held(&card->sw_lock));
	if (old) {
		memcpy(new->key, old->key, sizeof(new->key));
		memcpy(new->lut, old->lut, sizeof(new->lut));
		new->lut_set = old->lut_set;
	}
	if (key)
		memcpy(new->key, key, sizeof(new->key));
	if (lut) {
		memcpy(new->lut, lut, sizeof(new->lut));
		new->lut_set = true;
	}
	rcu_assign_pointer(target->rss, new);
	new = old;
out_unlock:
	mutex_unlock(&card->sw_lock);
	kfree_rcu(new, rcu);
	return err;
}

/**
 * simnic_hw_pf_set_rss_key - program the RSS key of VF @target
 * @pf: the PF
 * @target: the VF
 * @key: SIMNIC_RSS_KEY_SIZE bytes
 *
 * Return: 0, -EINVAL for a function that is not a VF, -EIO while the card is away,
 * -ENOMEM.
 */
int simnic_hw_pf_set_rss_key(struct simnic_fn *pf, struct simnic_fn *target, const u8 *key)
{
	return simnic_sw_set_rss(pf, target, key, NULL);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_rss_key);

/**
 * simnic_hw_pf_set_rss_lut - program the RSS lookup table of VF @target
 * @pf: the PF
 * @target: the VF
 * @lut: SIMNIC_RSS_LUT_SIZE queue numbers
 *
 * Return: as simnic_hw_pf_set_rss_key(), and -EINVAL for a queue number the device
 * does not have.
 */
int simnic_hw_pf_set_rss_lut(struct simnic_fn *pf, struct simnic_fn *target, const u8 *lut)
{
	return simnic_sw_set_rss(pf, target, NULL, lut);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_rss_lut);

void simnic_hw_pf_set_promisc(struct simnic_fn *pf, struct simnic_fn *target,
			      bool promisc, bool allmulti)
{
	target = simnic_sw_target(pf, target);
	if (!target || !target->is_vf)
		return;
	mutex_lock(&pf->card->sw_lock);
	WRITE_ONCE(target->promisc, promisc);
	WRITE_ONCE(target->allmulti, allmulti);
	mutex_unlock(&pf->card->sw_lock);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_promisc);

int simnic_hw_pf_set_vlan_filter(struct simnic_fn *pf, struct simnic_fn *target,
				 u16 vid, bool add)
{
	target = simnic_sw_target(pf, target);
	if (!target || !vid || vid >= VLAN_N_VID - 1)
		return -EINVAL;
	mutex_lock(&pf->card->sw_lock);
	if (simnic_card_away(pf->card)) {
		mutex_unlock(&pf->card->sw_lock);
		return -EIO;
	}
	if (add)
		set_bit(vid, target->vlans);
	else
		clear_bit(vid, target->vlans);
	mutex_unlock(&pf->card->sw_lock);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_vlan_filter);

void simnic_hw_pf_set_spoofchk(struct simnic_fn *pf, struct simnic_fn *target, bool on)
{
	target = simnic_sw_target(pf, target);
	if (target)
		WRITE_ONCE(target->spoofchk, on);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_spoofchk);

void simnic_hw_pf_set_vlan_pruning(struct simnic_fn *pf, struct simnic_fn *target, bool on)
{
	target = simnic_sw_target(pf, target);
	if (target && target->is_vf)
		WRITE_ONCE(target->no_vlan_pruning, !on);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_vlan_pruning);

void simnic_hw_pf_set_port_vlan(struct simnic_fn *pf, struct simnic_fn *target, u16 vid,
				u8 qos)
{
	target = simnic_sw_target(pf, target);
	if (target && vid < VLAN_N_VID - 1 && qos <= 7)
		WRITE_ONCE(target->ptci, vid | qos << VLAN_PRIO_SHIFT);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_port_vlan);

int simnic_hw_pf_set_vlan_offload(struct simnic_fn *pf, struct simnic_fn *target,
				  bool strip, bool insert)
{
	target = simnic_sw_target(pf, target);
	if (!target || !target->is_vf)
		return -EINVAL;
	WRITE_ONCE(target->vlan_strip, strip);
	WRITE_ONCE(target->vlan_insert, insert);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_vlan_offload);

static bool simnic_sw_mac_match(struct simnic_fn *fn, const u8 *addr)
{
	struct simnic_mac_filters *macs = rcu_dereference(fn->macs);
	unsigned int i;

	for (i = 0; macs && i < macs->count; i++)
		if (ether_addr_equal(macs->addr[i], addr))
			return true;
	return false;
}

/* What the switch knows about a frame on its way through */
struct simnic_sw_frame {
	struct sk_buff *skb;
	u32 hash;		/* the sender's flow hash */
	/* the Toeplitz input: source and destination address, then ports */
	u8 tuple[2 * sizeof(struct in6_addr) + 2 * sizeof(__be16)];
	u8 tuple_len;		/* 0: neither IPv4 nor IPv6 */
	bool flow_known;	/* @hash and @tuple computed (simnic_sw_flow()) */
	u16 vid;		/* VLAN on the wire: tag, port VLAN, or 0 */
	u8 pcp;			/* priority of a tag the switch inserts */
	bool tagged;		/* @skb carries an 802.1Q tag */
	bool mcast;		/* multicast destination (broadcast included) */
	bool bcast;
};

/* Does @dst take a frame on VLAN @vid? Counts a refusal. */
static bool simnic_sw_vlan_accept(struct simnic_fn *dst, u16 vid)
{
	u16 pvid = READ_ONCE(dst->ptci) & VLAN_VID_MASK;

	if (!dst->is_vf)
		return true;	/* the PF netdev does no VLAN filtering */
	if (pvid ? vid == pvid :
		   !vid || READ_ONCE(dst->no_vlan_pruning) || test_bit(vid, dst->vlans))
		return true;
	atomic64_inc(&dst->rx_vlan_filtered);
	return false;
}

/* The frame as @dst gets it: tag stripped for a port VLAN, tag inserted when the
 * port VLAN of the sender applies and @dst has none. A checksum left to the device is
 * filled in, and then known to be right: CHECKSUM_UNNECESSARY if @csum_ok.
 */
static struct sk_buff *simnic_sw_copy(const struct simnic_sw_frame *f, bool strip,
				      bool push, bool csum_ok)
{
	int delta = (push ? VLAN_HLEN : 0) - (strip ? VLAN_HLEN : 0);
	unsigned int len = f->skb->len + delta;
	struct sk_buff *nskb;
	unsigned int from;
	__be16 *tag;
	u8 *p;

	nskb = alloc_skb(len + NET_SKB_PAD + NET_IP_ALIGN, GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, NET_SKB_PAD + NET_IP_ALIGN);
	p = skb_put(nskb, len);
	if (skb_copy_bits(f->skb, 0, p, 2 * ETH_ALEN))
		goto err_free;
	p += 2 * ETH_ALEN;
	from = 2 * ETH_ALEN;
	if (strip) {
		from += VLAN_HLEN;
	} else if (push) {
		tag = (__be16 *)p;
		tag[0] = htons(ETH_P_8021Q);
		tag[1] = htons(f->vid | f->pcp << VLAN_PRIO_SHIFT);
		p += VLAN_HLEN;
	}
	if (skb_copy_bits(f->skb, from, p, f->skb->len - from))
		goto err_free;
	if (f->skb->ip_summed == CHECKSUM_PARTIAL) {
		nskb->ip_summed = CHECKSUM_PARTIAL;
		nskb->csum_start = skb_headroom(nskb) + skb_checksum_start_offset(f->skb) +
				   delta;
		nskb->csum_offset = f->skb->csum_offset;
		if (skb_checksum_help(nskb))
			goto err_free;
		if (csum_ok)
			nskb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return nskb;

err_free:
	kfree_skb(nskb);
	return NULL;
}

/* The frame as an rx queue that takes GSO frames gets it: the sender's pages shared,
 * the linear part and the frag array its own (__pskb_copy(): the receiver's GRO
 * rewrites the frag array of the frame it holds, and a clone would share it with the
 * sender's retransmit queue), the tag changed as simnic_sw_copy() changes it, the
 * checksum left partial. What the sender's stack attached to it (route, socket, marks)
 * stays behind.
 */
static struct sk_buff *simnic_sw_clone(const struct simnic_sw_frame *f, bool strip,
				       bool push)
{
	struct sk_buff *nskb;
	__be16 *tag;

	/* the sender's headroom: the header offsets it copies count from the head */
	nskb = __pskb_copy(f->skb, skb_headroom(f->skb), GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_scrub_packet(nskb, true);
	if (strip) {
		memmove(nskb->data + VLAN_HLEN, nskb->data, 2 * ETH_ALEN);
		__skb_pull(nskb, VLAN_HLEN);
	} else if (push) {
		if (skb_cow_head(nskb, VLAN_HLEN))
			goto err_free;
		__skb_push(nskb, VLAN_HLEN);
		memmove(nskb->data, nskb->data + VLAN_HLEN, 2 * ETH_ALEN);
		tag = (__be16 *)(nskb->data + 2 * ETH_ALEN);
		tag[0] = htons(ETH_P_8021Q);
		tag[1] = htons(f->vid | f->pcp << VLAN_PRIO_SHIFT);
	}
	skb_reset_mac_header(nskb);
	return nskb;

err_free:
	kfree_skb(nskb);
	return NULL;
}

/* The descriptor of @nskb carries @tci (0: no tag stripped) */
static struct sk_buff *simnic_sw_tag(struct sk_buff *nskb, u16 tci)
{
	if (nskb && tci)
		__vlan_hwaccel_put_tag(nskb, htons(ETH_P_8021Q), tci);
	return nskb;
}

/* What skb_gso_segment() may leave to the switch: pages, and checksums */
#define SIMNIC_SW_SEG_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM)

/* Frames a GSO frame stands for (what the wire would carry) */
static unsigned int simnic_sw_segs(const struct sk_buff *skb)
{
	return skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
}

/* The Toeplitz hash of @len bytes of @in under @key (at least @len + 8 bytes), as
 * Intel's and Microsoft's RSS define it: for each set bit of the input, the 32 bits of
 * the key that start at its position are XORed into the hash. A byte at a time: the
 * 64 key bits from the byte's position hold the 32-bit windows of all its bits.
 */
static u32 simnic_sw_toeplitz(const u8 *key, const u8 *in, unsigned int len)
{
	unsigned int i, bit;
	__be64 key64;
	u32 hash = 0;
	u64 window;
	u8 byte;

	for (i = 0; i < len; i++) {
		byte = in[i];
		if (!byte)
			continue;
		memcpy(&key64, key + i, sizeof(key64));
		window = be64_to_cpu(key64);
		while (byte) {
			bit = __fls(byte);		/* 7 - its offset from the MSB */
			hash ^= (u32)(window >> (25 + bit));
			byte &= ~BIT(bit);
		}
	}
	return hash;
}

/* The flow of @f->skb, as RSS hashes it: addresses and, for TCP and UDP, ports.
 * Only a receiver with more than one queue needs it; computed once per frame.
 */
static void simnic_sw_flow(struct simnic_sw_frame *f)
{
	struct flow_keys keys;
	u8 *p = f->tuple;
	size_t alen;

	if (f->flow_known)
		return;
	f->flow_known = true;
	f->hash = skb_get_hash(f->skb);
	f->tuple_len = 0;
	if (!skb_flow_dissect_flow_keys(f->skb, &keys, 0))
		return;
	if (keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		alen = sizeof(keys.addrs.v4addrs.src);
		memcpy(p, &keys.addrs.v4addrs.src, alen);
		memcpy(p + alen, &keys.addrs.v4addrs.dst, alen);
	} else if (keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		alen = sizeof(keys.addrs.v6addrs.src);
		memcpy(p, &keys.addrs.v6addrs.src, alen);
		memcpy(p + alen, &keys.addrs.v6addrs.dst, alen);
	} else {
		return;
	}
	p += 2 * alen;
	if (keys.basic.ip_proto == IPPROTO_TCP || keys.basic.ip_proto == IPPROTO_UDP) {
		memcpy(p, &keys.ports.src, sizeof(keys.ports.src));
		memcpy(p + sizeof(keys.ports.src), &keys.ports.dst, sizeof(keys.ports.dst));
		p += sizeof(keys.ports.src) + sizeof(keys.ports.dst);
	}
	f->tuple_len = p - f->tuple;
}

/* The rx queue of @dst's RSS table for @f, or SIMNIC_MAX_QUEUES if it has no table
 * or the entry names a queue not in @mask (enabled)
 */
static u16 simnic_sw_rss_queue(struct simnic_fn *dst, const struct simnic_sw_frame *f,
			       unsigned long mask)
{
	struct simnic_rss *rss = rcu_dereference(dst->rss);
	u16 qid;

	if (!rss || !rss->lut_set)
		return SIMNIC_MAX_QUEUES;
	qid = rss->lut[simnic_sw_toeplitz(rss->key, f->tuple, f->tuple_len) %
		       SIMNIC_RSS_LUT_SIZE];
	return test_bit(qid, &mask) ? qid : SIMNIC_MAX_QUEUES;
}

/* Put @nskb (the frame @f as @dst gets it, NULL if it could not be made) on @dst's
 * rx queue @qid and fire its vector if it is armed. False if dropped and counted.
 */
static bool simnic_sw_enqueue(struct simnic_fn *dst, u16 qid, struct sk_buff *nskb,
			      const struct simnic_sw_frame *f)
{
	struct simnic_rxq *rxq = &dst->rxq[qid];
	unsigned int len, segs;
	bool fire = false;
	bool oversize;
	bool stripped;

	if (!nskb)
		goto drop;
	spin_lock(&rxq->lock);
	oversize = skb_is_gso(nskb) ?
		   !skb_gso_validate_mac_len(nskb, rxq->max_frame - ETH_FCS_LEN) :
		   nskb->len + ETH_FCS_LEN > rxq->max_frame;
	if (rxq->enabled && oversize) {
		spin_unlock(&rxq->lock);
		kfree_skb(nskb);
		atomic64_inc(&dst->rx_oversize);
		return false;
	}
	if (!rxq->enabled || skb_queue_len(&rxq->frames) >= rxq->ring_len) {
		spin_unlock(&rxq->lock);
		kfree_skb(nskb);
		goto drop;
	}
	/* the driver may take and free it once we unlock */
	len = nskb->len;
	segs = simnic_sw_segs(nskb);
	stripped = skb_vlan_tag_present(nskb);
	__skb_queue_tail(&rxq->frames, nskb);
	if (rxq->armed) {
		rxq->armed = false;
		fire = true;
	}
	spin_unlock(&rxq->lock);

	atomic64_add(segs, &dst->rx_packets);
	atomic64_add(len, &dst->rx_bytes);
	if (stripped)
		atomic64_add(segs, &dst->rx_vlan_stripped);
	if (f->mcast) {
		atomic64_add(segs, &dst->rx_multicast);
		if (f->bcast)
			atomic64_add(segs, &dst->rx_broadcast);
	}
	if (fire)
		simnic_fn_raise(dst, rxq->vector, 0);
	return true;
drop:
	atomic64_inc(&dst->rx_dropped);
	return false;
}

/* Copy the frame into one of @dst's rx queues. False if @dst did not take it (VLAN
 * filtered, or dropped and counted).
 */
static bool simnic_sw_deliver(struct simnic_fn *dst, struct simnic_sw_frame *f)
{
	unsigned long mask = READ_ONCE(dst->rxq_enabled);
	unsigned int n = hweight_long(mask), nth;
	bool dst_pvid = dst->is_vf && (READ_ONCE(dst->ptci) & VLAN_VID_MASK);
	bool strip, push, taken = false;
	struct simnic_sw_frame seg;
	struct sk_buff *segs, *next;
	u16 qid, tci = 0;

	if (!simnic_sw_vlan_accept(dst, f->vid))
		return false;
	if (!n) {
		atomic64_inc(&dst->rx_dropped);
		return false;
	}
	if (n == 1) {
		qid = __ffs(mask);
	} else {
		simnic_sw_flow(f);
		qid = simnic_sw_rss_queue(dst, f, mask);
	}
	if (qid >= SIMNIC_MAX_QUEUES) {
		/* no table yet: the sender's flow hash picks one of the enabled queues */
		nth = reciprocal_scale(f->hash, n);
		for_each_set_bit(qid, &mask, SIMNIC_MAX_QUEUES)
			if (!nth--)
				break;
	}
	strip = dst_pvid && f->tagged;
	push = !dst_pvid && f->vid && !f->tagged;
	/* a tag @dst would get goes to the descriptor if it strips them */
	if (((f->tagged && !strip) || push) && dst->is_vf && READ_ONCE(dst->vlan_strip)) {
		tci = push ? f->vid | f->pcp << VLAN_PRIO_SHIFT :
			     ntohs(((const struct vlan_ethhdr *)f->skb->data)->h_vlan_TCI);
		strip = f->tagged;
		push = false;
	}

	if (READ_ONCE(dst->rxq[qid].gso))
		return simnic_sw_enqueue(dst, qid,
					 simnic_sw_tag(simnic_sw_clone(f, strip, push), tci), f);
	if (!skb_is_gso(f->skb))
		return simnic_sw_enqueue(dst, qid, simnic_sw_tag(simnic_sw_copy(f, strip, push,
									      true), tci), f);

	/* the wire's frames; simnic_sw_copy() fills their checksums in */
	segs = skb_gso_segment(f->skb, SIMNIC_SW_SEG_FEATURES);
	if (IS_ERR_OR_NULL(segs)) {
		atomic64_inc(&dst->rx_dropped);
		return false;
	}
	seg = *f;
	skb_list_walk_safe(segs, seg.skb, next) {
		skb_mark_not_on_list(seg.skb);
		taken |= simnic_sw_enqueue(dst, qid,
					   simnic_sw_tag(simnic_sw_copy(&seg, strip, push, true),
							 tci), &seg);
		consume_skb(seg.skb);
	}
	return taken;
}

/* Switchdev: what VF @fn sent goes to its representor, tagged as it leaves the VF's
 * port (a port VLAN inserted). Under RCU.
 */
static void simnic_sw_to_rep(struct simnic_rep_rx *sd, struct simnic_fn *fn,
			     const struct simnic_sw_frame *f)
{
	struct sk_buff *nskb;

	nskb = simnic_sw_copy(f, false, f->vid && !f->tagged, false);
	if (!nskb) {
		atomic64_inc(&fn->tx_dropped);
		return;
	}
	sd->rx(sd->data, fn->vf_id, nskb);
}

/* A representor takes what the wire carries: the frames of a TSO frame */
static void simnic_sw_to_rep_segs(struct simnic_rep_rx *sd, struct simnic_fn *fn,
				  const struct simnic_sw_frame *f)
{
	struct sk_buff *segs, *next;
	struct simnic_sw_frame seg;

	if (!skb_is_gso(f->skb)) {
		simnic_sw_to_rep(sd, fn, f);
		return;
	}
	segs = skb_gso_segment(f->skb, SIMNIC_SW_SEG_FEATURES);
	if (IS_ERR_OR_NULL(segs)) {
		atomic64_inc(&fn->tx_dropped);
		return;
	}
	seg = *f;
	skb_list_walk_safe(segs, seg.skb, next) {
		skb_mark_not_on_list(seg.skb);
		simnic_sw_to_rep(sd, fn, &seg);
		consume_skb(seg.skb);
	}
}

/* Classify what @fn sent; false if the switch must drop it (port VLAN, anti-spoof) */
static bool simnic_sw_ingress(struct simnic_fn *fn, struct simnic_sw_frame *f)
{
	const struct ethhdr *eth = (const struct ethhdr *)f->skb->data;
	u16 ptci = fn->is_vf ? READ_ONCE(fn->ptci) : 0;
	u16 pvid = ptci & VLAN_VID_MASK;

	f->tagged = false;
	f->vid = 0;
	if (eth->h_proto == htons(ETH_P_8021Q) && pskb_may_pull(f->skb, VLAN_ETH_HLEN)) {
		eth = (const struct ethhdr *)f->skb->data;
		f->tagged = true;
		f->vid = ntohs(((const struct vlan_ethhdr *)eth)->h_vlan_TCI) & VLAN_VID_MASK;
	}
	if (pvid) {
		/* A VF behind a port VLAN cannot pick its own VLAN */
		if (f->tagged)
			return false;
		f->vid = pvid;
		f->pcp = ptci >> VLAN_PRIO_SHIFT;
	}
	if (!fn->is_vf || !READ_ONCE(fn->spoofchk))
		return true;
	/* the filter holds multicast addresses too, which are never a source */
	if (is_multicast_ether_addr(eth->h_source) || !simnic_sw_mac_match(fn, eth->h_source))
		return false;
	return pvid || !f->vid || test_bit(f->vid, fn->vlans);
}

int simnic_hw_pf_set_tx_rate(struct simnic_fn *pf, struct simnic_fn *target, u32 mbps)
{
	target = simnic_sw_target(pf, target);
	if (!target)
		return -EINVAL;
	spin_lock_bh(&target->tx_lock);
	WRITE_ONCE(target->max_tx_mbps, mbps);
	target->tx_tokens = 0;
	target->tx_last_ns = ktime_get_ns();
	spin_unlock_bh(&target->tx_lock);
	/* what the old rate held goes under the new one, now: not when the old said */
	if (READ_ONCE(target->txq_held)) {
		set_bit(SIMNIC_TX_TIMER_ARMED, &target->tx_flags);
		hrtimer_start(&target->tx_timer, 0, HRTIMER_MODE_REL_SOFT);
	}
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_tx_rate);

/* May a frame of @len bytes leave now under @fn's max tx rate (token bucket)? If so,
 * its bytes are taken; if not, *@wait_ns says when the bucket will hold enough. The
 * bucket holds 10 ms of the rate, and always room for two of the largest frames. A
 * TSO frame larger than the bucket leaves when the bucket is full and leaves it owing
 * the rest, so that the rate holds for TSO as for single frames.
 */
static bool simnic_sw_rate_take(struct simnic_fn *fn, unsigned int len, u64 *wait_ns)
{
	u64 now, burst, bytes_per_ms, elapsed;
	bool ok = true;
	s64 need;
	u32 mbps;

	if (!READ_ONCE(fn->max_tx_mbps))
		return true;
	spin_lock(&fn->tx_lock);
	mbps = fn->max_tx_mbps;
	if (mbps) {
		now = ktime_get_ns();
		bytes_per_ms = (u64)mbps * 1000 / 8;	/* Mb/s = 1000 bits per ms */
		burst = max_t(u64, bytes_per_ms * 10, 2 * SIMNIC_MAX_FRAME);
		/* Any bucket fills in under a second (two frames at 1 Mb/s: 156 ms), and
		 * the clamp keeps the product below 2^64 after any idle time
		 */
		elapsed = min_t(u64, now - fn->tx_last_ns, NSEC_PER_SEC);
		fn->tx_tokens += div_u64(elapsed * bytes_per_ms, NSEC_PER_MSEC);
		fn->tx_tokens = min_t(s64, fn->tx_tokens, burst);
		fn->tx_last_ns = now;
		need = min_t(s64, len, burst);
		ok = fn->tx_tokens >= need;
		if (ok)
			fn->tx_tokens -= len;
		else
			*wait_ns = div64_u64((need - fn->tx_tokens) * NSEC_PER_MSEC,
					     bytes_per_ms) + 1;
	}
	spin_unlock(&fn->tx_lock);
	return ok;
}

/* Switch a frame @fn sent, once it left its tx queue */
static void simnic_sw_forward(struct simnic_fn *fn, struct sk_buff *skb)
{
	struct simnic_card *card = fn->card;
	struct simnic_sw_frame f = { .skb = skb };
	const struct ethhdr *eth;
	struct simnic_rep_rx *sd;
	struct simnic_fn *dst;
	u16 i, num_vfs;

	/* the tag the descriptor carries, if the PF let the VF's port insert it */
	if (skb_vlan_tag_present(skb)) {
		if (!READ_ONCE(fn->vlan_insert)) {
			atomic64_inc(&fn->tx_dropped);
			kfree_skb(skb);
			return;
		}
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb) {
			atomic64_inc(&fn->tx_dropped);
			return;
		}
		f.skb = skb;
		atomic64_inc(&fn->tx_vlan_inserted);
	}
	num_vfs = READ_ONCE(card->num_vfs);
	rcu_read_lock();
	if (!simnic_sw_ingress(fn, &f)) {
		atomic64_inc(&fn->tx_spoofed);
		goto out;
	}
	eth = (const struct ethhdr *)skb->data;	/* simnic_sw_ingress() may pull */
	atomic64_add(simnic_sw_segs(skb), &fn->tx_packets);
	atomic64_add(skb->len, &fn->tx_bytes);
	f.mcast = is_multicast_ether_addr(eth->h_dest);
	f.bcast = is_broadcast_ether_addr(eth->h_dest);
	if (f.mcast) {
		atomic64_add(simnic_sw_segs(skb), &fn->tx_multicast);
		if (f.bcast)
			atomic64_add(simnic_sw_segs(skb), &fn->tx_broadcast);
	}

	/* Switchdev: no VEB. A VF's frame goes to its representor; the PF's leaves on
	 * the physical port (no peer yet).
	 */
	sd = rcu_dereference(card->switchdev);
	if (sd) {
		if (fn->is_vf)
			simnic_sw_to_rep_segs(sd, fn, &f);
		goto out;
	}

	if (f.mcast) {
		if (fn != &card->pf)
			simnic_sw_deliver(&card->pf, &f);
		for (i = 0; i < num_vfs; i++) {
			dst = &card->vfs[i];
			if (dst == fn || !READ_ONCE(dst->active))
				continue;
			if (f.bcast || READ_ONCE(dst->allmulti) ||
			    simnic_sw_mac_match(dst, eth->h_dest))
				simnic_sw_deliver(dst, &f);
			else
				atomic64_inc(&dst->rx_mac_filtered);
		}
		goto out;
	}
	if (fn != &card->pf && simnic_sw_mac_match(&card->pf, eth->h_dest)) {
		simnic_sw_deliver(&card->pf, &f);
		goto out;
	}
	for (i = 0; i < num_vfs; i++) {
		dst = &card->vfs[i];
		if (dst != fn && READ_ONCE(dst->active) &&
		    simnic_sw_mac_match(dst, eth->h_dest)) {
			simnic_sw_deliver(dst, &f);
			goto out;
		}
	}
	/* No local destination: promiscuous VFs get a copy (unless the sender sent it
	 * to itself), and the frame leaves on the physical port (no peer yet)
	 */
	if (simnic_sw_mac_match(fn, eth->h_dest))
		goto out;
	for (i = 0; i < num_vfs; i++) {
		dst = &card->vfs[i];
		if (dst != fn && READ_ONCE(dst->active) && READ_ONCE(dst->promisc))
			simnic_sw_deliver(dst, &f);
	}
out:
	rcu_read_unlock();
	consume_skb(skb);
}

/* @descs descriptors of @txq completed: written back. True if the driver armed its
 * vector for it, which the caller fires once it unlocked.
 */
static bool simnic_sw_tx_complete(struct simnic_txq *txq, unsigned int descs)
{
	bool fire = txq->armed;

	lockdep_assert_held(&txq->lock);
	WRITE_ONCE(txq->done, txq->done + descs);
	txq->armed = false;
	return fire;
}

/* Frames the rate's timer sends in one run, before it lets the CPU go */
#define SIMNIC_SW_TX_BUDGET	256

/* What a held frame keeps in skb->cb while it waits in the ring */
struct simnic_sw_tx_cb {
	/* descriptors it took at xmit: pskb_may_pull() may have changed its frags */
	unsigned int descs;
};

static struct simnic_sw_tx_cb *simnic_sw_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct simnic_sw_tx_cb) > sizeof(skb->cb));
	return (struct simnic_sw_tx_cb *)skb->cb;
}

/* Have the rate's timer look at @fn's held frames in @ns, unless it will anyway */
static void simnic_sw_tx_kick(struct simnic_fn *fn, u64 ns)
{
	if (!test_and_set_bit(SIMNIC_TX_TIMER_ARMED, &fn->tx_flags))
		hrtimer_start(&fn->tx_timer, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
}

/* Send what the rate lets go of the frames held on @fn's tx queues, a frame from each
 * queue in turn. Returns when the next may go, in ns from now; 0 if none is held.
 */
static u64 simnic_sw_tx_release(struct simnic_fn *fn)
{
	unsigned int budget = SIMNIC_SW_TX_BUDGET;
	struct simnic_txq *txq;
	struct sk_buff *skb;
	unsigned int descs;
	bool sent = true;
	u64 wait_ns = 0;
	bool fire;
	u16 qid;

	while (sent) {
		sent = false;
		for_each_set_bit(qid, &fn->txq_held, SIMNIC_MAX_QUEUES) {
			txq = &fn->txq[qid];
			spin_lock(&txq->lock);
			skb = skb_peek(&txq->held);
			if (!skb) {
				clear_bit(qid, &fn->txq_held);
				spin_unlock(&txq->lock);
				continue;
			}
			if (!budget--) {
				spin_unlock(&txq->lock);
				return 1;	/* the rest in the next run */
			}
			if (!simnic_sw_rate_take(fn, skb->len, &wait_ns)) {
				spin_unlock(&txq->lock);
				return wait_ns;	/* one bucket for all queues */
			}
			__skb_unlink(skb, &txq->held);
			descs = simnic_sw_tx_cb(skb)->descs;
			txq->used -= descs;
			txq->sending = descs;
			spin_unlock(&txq->lock);

			simnic_sw_forward(fn, skb);

			spin_lock(&txq->lock);
			/* 0 if a purge completed them meanwhile */
			descs = txq->sending;
			txq->sending = 0;
			fire = descs && simnic_sw_tx_complete(txq, descs);
			spin_unlock(&txq->lock);
			if (fire)
				simnic_fn_raise(fn, txq->vector, 0);
			sent = true;
		}
	}
	return 0;
}

static enum hrtimer_restart simnic_sw_tx_timer(struct hrtimer *timer)
{
	struct simnic_fn *fn = container_of(timer, struct simnic_fn, tx_timer);
	u64 wait_ns;

	/* a frame held from here on is seen below, or kicks the timer again */
	clear_bit(SIMNIC_TX_TIMER_ARMED, &fn->tx_flags);
	/* the clear before the reads of txq_held; xmit sets its bit before its
	 * test_and_set_bit(), a full barrier
	 */
	smp_mb__after_atomic();
	wait_ns = simnic_sw_tx_release(fn);
	if (wait_ns)
		simnic_sw_tx_kick(fn, wait_ns);
	return HRTIMER_NORESTART;
}

void simnic_txq_init(struct simnic_fn *fn)
{
	u16 q;

	for (q = 0; q < SIMNIC_MAX_QUEUES; q++) {
		spin_lock_init(&fn->txq[q].lock);
		__skb_queue_head_init(&fn->txq[q].held);
		fn->txq[q].ring_len = SIMNIC_RING_DEFAULT;
	}
	hrtimer_init(&fn->tx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	fn->tx_timer.function = simnic_sw_tx_timer;
}

/* Disable tx queue @qid: the frames it holds are dropped, their descriptors
 * completed (flushed), as a queue disable flushes a ring
 */
void simnic_txq_purge(struct simnic_fn *fn, u16 qid)
{
	struct simnic_txq *txq = &fn->txq[qid];
	struct sk_buff_head purge;
	bool fire = false;

	__skb_queue_head_init(&purge);
	clear_bit(qid, &fn->txq_enabled);
	spin_lock_bh(&txq->lock);
	skb_queue_splice_init(&txq->held, &purge);
	/* with the frame the timer is sending: the driver's count starts afresh */
	if (txq->used + txq->sending)
		fire = simnic_sw_tx_complete(txq, txq->used + txq->sending);
	txq->used = 0;
	txq->sending = 0;
	spin_unlock_bh(&txq->lock);
	if (fire)
		simnic_fn_raise(fn, txq->vector, 0);
	atomic64_add(skb_queue_len(&purge), &fn->tx_dropped);
	__skb_queue_purge(&purge);
}

/**
 * simnic_hw_xmit - post a frame on a tx queue
 * @fn: sending function
 * @qid: tx queue
 * @skb: the frame; always consumed
 *
 * Context: bottom halves disabled (ndo_start_xmit).
 * Return: 0 if the queue took the frame: sent at once, or held by the max tx rate
 * (anti-spoof may still drop it); -ENETDOWN if the queue is disabled; -ENOSPC if the
 * ring has no room for its simnic_hw_tx_descs().
 */
int simnic_hw_xmit(struct simnic_fn *fn, u16 qid, struct sk_buff *skb)
{
	unsigned int descs = simnic_hw_tx_descs(skb);
	struct simnic_txq *txq;
	u64 wait_ns;
	bool fire;

	if (qid >= SIMNIC_MAX_QUEUES || !READ_ONCE(fn->active) ||
	    !pskb_may_pull(skb, ETH_HLEN))
		goto err_down;
	txq = &fn->txq[qid];
	spin_lock(&txq->lock);
	/* under the lock: simnic_txq_purge() clears the bit before it takes it */
	if (!test_bit(qid, &fn->txq_enabled)) {
		spin_unlock(&txq->lock);
		goto err_down;
	}
	if (txq->used + descs > txq->ring_len) {
		spin_unlock(&txq->lock);
		atomic64_inc(&fn->tx_dropped);
		kfree_skb(skb);
		return -ENOSPC;
	}
	/* behind the frames already held, or held itself until the rate lets it go */
	if (txq->sending || !skb_queue_empty(&txq->held) ||
	    !simnic_sw_rate_take(fn, skb->len, &wait_ns)) {
		/* what the ring holds is the frame, not the driver's netdev, which may
		 * go before the frame leaves (the sender's socket stays: sock_wfree())
		 */
		skb->dev = NULL;
		simnic_sw_tx_cb(skb)->descs = descs;
		__skb_queue_tail(&txq->held, skb);
		txq->used += descs;
		txq->peak = max(txq->peak, txq->used);
		set_bit(qid, &fn->txq_held);
		spin_unlock(&txq->lock);
		atomic64_inc(&fn->tx_held);
		simnic_sw_tx_kick(fn, 0);
		return 0;
	}
	/* it leaves now: complete it first, the driver sees nothing in between */
	fire = simnic_sw_tx_complete(txq, descs);
	spin_unlock(&txq->lock);

	simnic_sw_forward(fn, skb);
	if (fire)
		simnic_fn_raise(fn, txq->vector, 0);
	return 0;

err_down:
	atomic64_inc(&fn->tx_dropped);
	kfree_skb(skb);
	return -ENETDOWN;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_xmit);

/* Descriptors of tx queue @qid completed so far (free-running): the head write-back */
u32 simnic_hw_tx_done(struct simnic_fn *fn, u16 qid)
{
	return qid < SIMNIC_MAX_QUEUES ? READ_ONCE(fn->txq[qid].done) : 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_tx_done);

/* Fire the tx queue's vector at its next completion; at once if @done moved past
 * @seen (what the driver last read)
 */
void simnic_hw_tx_arm(struct simnic_fn *fn, u16 qid, u32 seen)
{
	struct simnic_txq *txq;
	bool fire = false;

	if (qid >= SIMNIC_MAX_QUEUES)
		return;
	txq = &fn->txq[qid];
	spin_lock_bh(&txq->lock);
	if (txq->done != seen)
		fire = true;
	else
		txq->armed = true;
	spin_unlock_bh(&txq->lock);
	if (fire)
		simnic_fn_raise(fn, txq->vector, 0);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_tx_arm);

/**
 * simnic_hw_pf_set_switchdev - switchdev (representors' slow path) or VEB
 * @pf: the PF
 * @rx: handler of what the VFs send (switchdev), or NULL (back to the VEB)
 * @data: its argument
 *
 * See simnic_hw_if.h. May sleep: turning it off waits until @rx is not running.
 * Return: 0, -EINVAL if @pf is not a PF, -EBUSY if switchdev is on already,
 * -ENOMEM.
 */
int simnic_hw_pf_set_switchdev(struct simnic_fn *pf, simnic_rep_rx_t rx, void *data)
{
	struct simnic_card *card = pf->card;
	struct simnic_rep_rx *sd = NULL;
	int err = 0;

	might_sleep();
	if (WARN_ON(pf->is_vf))
		return -EINVAL;
	if (rx) {
		sd = kzalloc(sizeof(*sd), GFP_KERNEL);
		if (!sd)
			return -ENOMEM;
		sd->rx = rx;
		sd->data = data;
	}

	mutex_lock(&card->sw_lock);
	if (sd && rcu_access_pointer(card->switchdev)) {
		err = -EBUSY;
		goto out_unlock;
	}
	sd = rcu_replace_pointer(card->switchdev, sd, lockdep_is_held(&card->sw_lock));
out_unlock:
	mutex_unlock(&card->sw_lock);
	if (!err && sd)
		synchronize_rcu();	/* the old handler is not running any more */
	kfree(sd);
	return err;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_switchdev);

/**
 * simnic_hw_pf_rep_xmit - switchdev: send a frame to a VF (its representor's xmit)
 * @pf: the PF
 * @vf: the VF
 * @skb: the frame; always consumed
 *
 * Context: bottom halves disabled (ndo_start_xmit).
 * Return: 0 if the frame is on one of the VF's rx queues, -ENETDOWN if not.
 */
int simnic_hw_pf_rep_xmit(struct simnic_fn *pf, u16 vf, struct sk_buff *skb)
{
	struct simnic_sw_frame f = { .skb = skb };
	struct simnic_card *card = pf->card;
	const struct ethhdr *eth;
	struct simnic_fn *dst;
	int err = -ENETDOWN;
	u16 pvid;

	if (pf->is_vf || vf >= READ_ONCE(card->num_vfs) || !pskb_may_pull(skb, ETH_HLEN))
		goto out_free;
	dst = &card->vfs[vf];
	if (!READ_ONCE(dst->active))
		goto out_free;

	rcu_read_lock();
	if (!rcu_access_pointer(card->switchdev))
		goto out_unlock;
	eth = (const struct ethhdr *)skb->data;
	if (eth->h_proto == htons(ETH_P_8021Q) && pskb_may_pull(skb, VLAN_ETH_HLEN)) {
		f.tagged = true;
		f.vid = ntohs(((const struct vlan_ethhdr *)skb->data)->h_vlan_TCI) &
			VLAN_VID_MASK;
		eth = (const struct ethhdr *)skb->data;
	}
	/* the representor speaks for the VF's port: untagged is its port VLAN */
	pvid = READ_ONCE(dst->ptci) & VLAN_VID_MASK;
	if (pvid && !f.tagged)
		f.vid = pvid;
	f.mcast = is_multicast_ether_addr(eth->h_dest);
	f.bcast = is_broadcast_ether_addr(eth->h_dest);
	if (simnic_sw_deliver(dst, &f))
		err = 0;
out_unlock:
	rcu_read_unlock();
out_free:
	if (err)
		kfree_skb(skb);
	else
		consume_skb(skb);
	return err;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_rep_xmit);

struct sk_buff *simnic_hw_rx_pop(struct simnic_fn *fn, u16 qid)
{
	struct simnic_rxq *rxq;
	struct sk_buff *skb;

	if (qid >= SIMNIC_MAX_QUEUES)
		return NULL;
	rxq = &fn->rxq[qid];
	spin_lock_bh(&rxq->lock);
	skb = __skb_dequeue(&rxq->frames);
	spin_unlock_bh(&rxq->lock);
	return skb;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_rx_pop);

/* Re-enable the queue's interrupt: it fires at once if frames are waiting */
void simnic_hw_rx_arm(struct simnic_fn *fn, u16 qid)
{
	struct simnic_rxq *rxq;
	bool fire = false;

	if (qid >= SIMNIC_MAX_QUEUES)
		return;
	rxq = &fn->rxq[qid];
	spin_lock_bh(&rxq->lock);
	if (rxq->enabled) {
		if (skb_queue_empty(&rxq->frames))
			rxq->armed = true;
		else
			fire = true;
	}
	spin_unlock_bh(&rxq->lock);
	if (fire)
		simnic_fn_raise(fn, rxq->vector, 0);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_rx_arm);

void simnic_hw_fn_stats(struct simnic_fn *fn, struct simnic_hw_fn_stats *stats)
{
	stats->tx_packets = atomic64_read(&fn->tx_packets);
	stats->tx_bytes = atomic64_read(&fn->tx_bytes);
	stats->tx_dropped = atomic64_read(&fn->tx_dropped);
	stats->rx_packets = atomic64_read(&fn->rx_packets);
	stats->rx_bytes = atomic64_read(&fn->rx_bytes);
	stats->rx_dropped = atomic64_read(&fn->rx_dropped);
	stats->tx_spoofed = atomic64_read(&fn->tx_spoofed);
	stats->rx_vlan_filtered = atomic64_read(&fn->rx_vlan_filtered);
	stats->tx_held = atomic64_read(&fn->tx_held);
	stats->rx_broadcast = atomic64_read(&fn->rx_broadcast);
	stats->rx_multicast = atomic64_read(&fn->rx_multicast);
	stats->rx_mac_filtered = atomic64_read(&fn->rx_mac_filtered);
	stats->rx_oversize = atomic64_read(&fn->rx_oversize);
	stats->tx_multicast = atomic64_read(&fn->tx_multicast);
	stats->tx_broadcast = atomic64_read(&fn->tx_broadcast);
	stats->rx_vlan_stripped = atomic64_read(&fn->rx_vlan_stripped);
	stats->tx_vlan_inserted = atomic64_read(&fn->tx_vlan_inserted);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fn_stats);

/* only in the build/kunit modules (make modules-kunit), not at every load */
#if IS_ENABLED(CONFIG_SIMNIC_KUNIT_TEST)
#include "simnic_hw_switch_test.c"
#endif
