// SPDX-License-Identifier: GPL-2.0
/* The embedded switch (VEB) and the queues it feeds. A frame sent on a function's tx
 * queue is copied ("DMA") into the rx queue of every function it is addressed to:
 * unicast by the destination MAC filters the PF programmed, broadcast and multicast to
 * every other function. The rx queue is chosen by the frame's flow hash (RSS).
 */
#include <linux/etherdevice.h>
#include <linux/export.h>
#include <linux/slab.h>
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
			   u16 qid, u16 ring_len, u16 vector)
{
	struct simnic_rxq *rxq;

	target = simnic_sw_target(pf, target);
	if (!target || qid >= SIMNIC_MAX_QUEUES || vector >= SIMNIC_MAX_VECTORS ||
	    ring_len < SIMNIC_RING_MIN || ring_len > SIMNIC_RING_MAX)
		return -EINVAL;
	rxq = &target->rxq[qid];
	spin_lock_bh(&rxq->lock);
	if (rxq->enabled) {
		spin_unlock_bh(&rxq->lock);
		return -EBUSY;
	}
	rxq->ring_len = ring_len;
	rxq->vector = vector;
	spin_unlock_bh(&rxq->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(simnic_hw_pf_cfg_queue);

int simnic_hw_pf_enable_queue(struct simnic_fn *pf, struct simnic_fn *target,
			      u16 qid, bool enable)
{
	struct simnic_rxq *rxq;

	target = simnic_sw_target(pf, target);
	if (!target || qid >= SIMNIC_MAX_QUEUES)
		return -EINVAL;
	if (!enable) {
		clear_bit(qid, &target->txq_enabled);
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
EXPORT_SYMBOL_GPL(simnic_hw_pf_enable_queue);

void simnic_hw_pf_disable_all_queues(struct simnic_fn *pf, struct simnic_fn *target)
{
	u16 q;

	for (q = 0; q < SIMNIC_MAX_QUEUES; q++)
		simnic_hw_pf_enable_queue(pf, target, q, false);
}
EXPORT_SYMBOL_GPL(simnic_hw_pf_disable_all_queues);

int simnic_hw_pf_set_mac_filter(struct simnic_fn *pf, struct simnic_fn *target,
				const u8 *addr, bool add)
{
	struct simnic_mac_filters *old, *new;
	struct simnic_card *card = pf->card;
	unsigned int i, found;
	int err = 0;

	target = simnic_sw_target(pf, target);
	if (!target || !is_valid_ether_addr(addr))
		return -EINVAL;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&card->sw_lock);
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
EXPORT_SYMBOL_GPL(simnic_hw_pf_set_mac_filter);

void simnic_hw_pf_clear_filters(struct simnic_fn *pf, struct simnic_fn *target)
{
	struct simnic_mac_filters *old;

	target = simnic_sw_target(pf, target);
	if (!target)
		return;
	mutex_lock(&pf->card->sw_lock);
	old = rcu_replace_pointer(target->macs, NULL,
				  lockdep_is_held(&pf->card->sw_lock));
	mutex_unlock(&pf->card->sw_lock);
	kfree_rcu(old, rcu);
}
EXPORT_SYMBOL_GPL(simnic_hw_pf_clear_filters);

static bool simnic_sw_mac_match(struct simnic_fn *fn, const u8 *addr)
{
	struct simnic_mac_filters *macs = rcu_dereference(fn->macs);
	unsigned int i;

	for (i = 0; macs && i < macs->count; i++)
		if (ether_addr_equal(macs->addr[i], addr))
			return true;
	return false;
}

/* Copy @skb into one of @dst's rx queues and fire its vector if it is armed */
static void simnic_sw_deliver(struct simnic_fn *dst, struct sk_buff *skb, u32 hash)
{
	unsigned long mask = READ_ONCE(dst->rxq_enabled);
	unsigned int n = hweight_long(mask), nth;
	struct simnic_rxq *rxq;
	struct sk_buff *nskb;
	bool fire = false;
	u16 qid;

	if (!n)
		goto drop;
	/* RSS: the hash picks one of the enabled queues */
	nth = reciprocal_scale(hash, n);
	for_each_set_bit(qid, &mask, SIMNIC_MAX_QUEUES)
		if (!nth--)
			break;

	nskb = alloc_skb(skb->len + NET_SKB_PAD + NET_IP_ALIGN, GFP_ATOMIC);
	if (!nskb)
		goto drop;
	skb_reserve(nskb, NET_SKB_PAD + NET_IP_ALIGN);
	if (skb_copy_bits(skb, 0, skb_put(nskb, skb->len), skb->len)) {
		kfree_skb(nskb);
		goto drop;
	}

	rxq = &dst->rxq[qid];
	spin_lock(&rxq->lock);
	if (!rxq->enabled || skb_queue_len(&rxq->frames) >= rxq->ring_len) {
		spin_unlock(&rxq->lock);
		kfree_skb(nskb);
		goto drop;
	}
	__skb_queue_tail(&rxq->frames, nskb);
	if (rxq->armed) {
		rxq->armed = false;
		fire = true;
	}
	spin_unlock(&rxq->lock);

	atomic64_inc(&dst->rx_packets);
	atomic64_add(skb->len, &dst->rx_bytes);
	if (fire)
		simnic_fn_raise(dst, rxq->vector, 0);
	return;
drop:
	atomic64_inc(&dst->rx_dropped);
}

/**
 * simnic_hw_xmit - send a frame on a tx queue
 * @fn: sending function
 * @qid: tx queue
 * @skb: the frame; always consumed
 *
 * Context: bottom halves disabled (ndo_start_xmit).
 * Return: 0 if the switch accepted the frame, -ENETDOWN if the queue is disabled.
 */
int simnic_hw_xmit(struct simnic_fn *fn, u16 qid, struct sk_buff *skb)
{
	struct simnic_card *card = fn->card;
	const struct ethhdr *eth;
	struct simnic_fn *dst;
	u16 i, num_vfs;
	u32 hash;

	if (qid >= SIMNIC_MAX_QUEUES || !test_bit(qid, &fn->txq_enabled) ||
	    !READ_ONCE(fn->active) || skb->len < ETH_HLEN) {
		atomic64_inc(&fn->tx_dropped);
		kfree_skb(skb);
		return -ENETDOWN;
	}
	atomic64_inc(&fn->tx_packets);
	atomic64_add(skb->len, &fn->tx_bytes);

	eth = (const struct ethhdr *)skb->data;
	hash = skb_get_hash(skb);
	num_vfs = READ_ONCE(card->num_vfs);

	rcu_read_lock();
	if (is_multicast_ether_addr(eth->h_dest)) {
		if (fn != &card->pf)
			simnic_sw_deliver(&card->pf, skb, hash);
		for (i = 0; i < num_vfs; i++) {
			dst = &card->vfs[i];
			if (dst != fn && READ_ONCE(dst->active))
				simnic_sw_deliver(dst, skb, hash);
		}
		goto out;
	}
	if (fn != &card->pf && simnic_sw_mac_match(&card->pf, eth->h_dest)) {
		simnic_sw_deliver(&card->pf, skb, hash);
		goto out;
	}
	for (i = 0; i < num_vfs; i++) {
		dst = &card->vfs[i];
		if (dst != fn && READ_ONCE(dst->active) &&
		    simnic_sw_mac_match(dst, eth->h_dest)) {
			simnic_sw_deliver(dst, skb, hash);
			goto out;
		}
	}
	/* No local destination: the frame leaves on the physical port (no peer yet) */
out:
	rcu_read_unlock();
	consume_skb(skb);
	return 0;
}
EXPORT_SYMBOL_GPL(simnic_hw_xmit);

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
EXPORT_SYMBOL_GPL(simnic_hw_rx_pop);

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
EXPORT_SYMBOL_GPL(simnic_hw_rx_arm);

void simnic_hw_fn_stats(struct simnic_fn *fn, struct simnic_hw_fn_stats *stats)
{
	stats->tx_packets = atomic64_read(&fn->tx_packets);
	stats->tx_bytes = atomic64_read(&fn->tx_bytes);
	stats->tx_dropped = atomic64_read(&fn->tx_dropped);
	stats->rx_packets = atomic64_read(&fn->rx_packets);
	stats->rx_bytes = atomic64_read(&fn->rx_bytes);
	stats->rx_dropped = atomic64_read(&fn->rx_dropped);
}
EXPORT_SYMBOL_GPL(simnic_hw_fn_stats);
