// SPDX-License-Identifier: GPL-2.0
/* The VF netdev: open/stop through the PF, multi-queue NAPI data path, MTU */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "simnic_vf.h"

/* tx offloads: the switch takes pages, leaves no checksum to us, segments TSO */
#define SIMNIC_VF_TX_OFFLOADS	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_TSO6)
/* Descriptors the largest frame takes: its linear part and every frag. A full ring
 * stops the queue below that, and it is woken with twice that free, as iavf does;
 * with the whole ring free if that is less (MAX_SKB_FRAGS may be 45, a ring 64).
 */
#define SIMNIC_VF_DESC_NEEDED	(1 + MAX_SKB_FRAGS)
#define SIMNIC_VF_TX_WAKE	(2 * SIMNIC_VF_DESC_NEEDED)

/* Free descriptors of @ring's tx ring; @done gets the hardware's completions */
static unsigned int simnic_vf_tx_free(const struct simnic_vf_ring *ring, u32 *done)
{
	*done = simnic_hw_tx_done(ring->vf->fn, ring->qid);
	return ring->tx_len - (READ_ONCE(ring->tx_next) - *done);
}

/* NAPI: wake a queue that a full ring stopped once twice the largest frame fits
 * again, or ask for an interrupt at the next completion
 */
static void simnic_vf_tx_clean(struct simnic_vf_ring *ring)
{
	struct simnic_vf *vf = ring->vf;
	u32 done;

	if (!READ_ONCE(ring->tx_full))
		return;
	if (simnic_vf_tx_free(ring, &done) < min_t(unsigned int, SIMNIC_VF_TX_WAKE,
						   ring->tx_len)) {
		simnic_hw_tx_arm(vf->fn, ring->qid, done);
		return;
	}
	/* Not a queue that the link or a reset stopped: the ring stays full for the
	 * wake that ends those (the carrier goes on before it)
	 */
	if (!READ_ONCE(vf->txq_live) || !netif_carrier_ok(vf->netdev))
		return;
	WRITE_ONCE(ring->tx_full, false);
	netif_wake_subqueue(vf->netdev, ring->qid);
}

static int simnic_vf_napi_poll(struct napi_struct *napi, int budget)
{
	struct simnic_vf_ring *ring = container_of(napi, struct simnic_vf_ring, napi);
	struct simnic_vf *vf = ring->vf;
	unsigned int bytes = 0;
	struct sk_buff *skb;
	int done = 0;

	simnic_vf_tx_clean(ring);
	while (done < budget && (skb = simnic_hw_rx_pop(vf->fn, ring->qid))) {
		bytes += skb->len;
		skb_record_rx_queue(skb, ring->qid);
		/* the switch's word that it filled the checksum in, if we take it */
		if (!(vf->netdev->features & NETIF_F_RXCSUM) &&
		    skb->ip_summed == CHECKSUM_UNNECESSARY)
			skb->ip_summed = CHECKSUM_NONE;
		skb->protocol = eth_type_trans(skb, vf->netdev);
		napi_gro_receive(napi, skb);
		done++;
	}
	u64_stats_update_begin(&ring->rx_syncp);
	ring->rx_packets += done;
	ring->rx_bytes += bytes;
	u64_stats_update_end(&ring->rx_syncp);

	if (done < budget && napi_complete_done(napi, done))
		simnic_hw_rx_arm(vf->fn, ring->qid);
	return done;
}

static void simnic_vf_ring_irq(void *data)
{
	struct simnic_vf_ring *ring = data;

	napi_schedule(&ring->napi);
}

static netdev_tx_t simnic_vf_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	u16 qid = skb_get_queue_mapping(skb);
	struct simnic_vf_ring *ring = &vf->rings[qid];
	unsigned int descs, len;
	bool stop = false;
	u32 done;
	int err;

	/* a tag the PF does not insert (yet): ours to insert */
	if (skb_vlan_tag_present(skb) && !READ_ONCE(vf->vlan.insert_on)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb) {
			u64_stats_update_begin(&ring->tx_syncp);
			ring->tx_dropped++;
			u64_stats_update_end(&ring->tx_syncp);
			return NETDEV_TX_OK;
		}
	}
	descs = simnic_hw_tx_descs(skb);
	len = skb->len;

	if (unlikely(simnic_vf_tx_free(ring, &done) < descs)) {
		/* stopped too late; not if the ring is sized as it should be */
		u64_stats_update_begin(&ring->tx_syncp);
		ring->tx_busy++;
		u64_stats_update_end(&ring->tx_syncp);
		goto stop_busy;
	}
	err = simnic_hw_xmit(vf->fn, qid, skb);
	if (!err) {
		WRITE_ONCE(ring->tx_next, ring->tx_next + descs);
		stop = simnic_vf_tx_free(ring, &done) < SIMNIC_VF_DESC_NEEDED;
	}
	u64_stats_update_begin(&ring->tx_syncp);
	if (err) {
		ring->tx_dropped++;
	} else {
		ring->tx_packets++;
		ring->tx_bytes += len;
		ring->tx_stopped += stop;
	}
	u64_stats_update_end(&ring->tx_syncp);
	if (stop) {
		netif_stop_subqueue(netdev, qid);
		WRITE_ONCE(ring->tx_full, true);
		/* at once if something completed since @done */
		simnic_hw_tx_arm(vf->fn, qid, done);
	}
	return NETDEV_TX_OK;

stop_busy:
	netif_stop_subqueue(netdev, qid);
	WRITE_ONCE(ring->tx_full, true);
	simnic_hw_tx_arm(vf->fn, qid, done);
	return NETDEV_TX_BUSY;
}

static void simnic_vf_free_ring_irqs(struct simnic_vf *vf, u16 count)
{
	u16 i;

	for (i = 0; i < count; i++)
		simnic_hw_free_irq(vf->fn, i + 1);
}

static int simnic_vf_request_ring_irqs(struct simnic_vf *vf)
{
	int err;
	u16 i;

	lockdep_assert_held(&vf->lock);
	for (i = 0; i < vf->num_qps; i++) {
		err = simnic_hw_request_irq(vf->fn, i + 1, simnic_vf_ring_irq,
					    &vf->rings[i]);
		if (err) {
			simnic_vf_free_ring_irqs(vf, i);
			return err;
		}
	}
	return 0;
}

/* The queues start: vectors, NAPI, and the requests that configure and enable them
 * in the PF (after a DISABLE_QUEUES still pending, which goes first)
 */
static int __simnic_vf_open(struct simnic_vf *vf)
{
	struct net_device *netdev = vf->netdev;
	int err;
	u16 i;

	lockdep_assert_held(&vf->lock);
	/* NAPI first: an interrupt that comes as soon as its vector is ours must find
	 * NAPI able to run, or its wakeup is lost
	 */
	for (i = 0; i < vf->num_qps; i++)
		napi_enable(&vf->rings[i].napi);
	err = simnic_vf_request_ring_irqs(vf);
	if (err) {
		for (i = 0; i < vf->num_qps; i++)
			napi_disable(&vf->rings[i].napi);
		return err;
	}
	vf->napi_on = true;
	/* Transmit only once the PF has enabled the queues */
	netif_tx_stop_all_queues(netdev);
	vf->up = true;
	set_bit(SIMNIC_VF_AQ_CONFIG_QUEUES, &vf->vc.aq_required);
	set_bit(SIMNIC_VF_AQ_MAP_VECTORS, &vf->vc.aq_required);
	set_bit(SIMNIC_VF_AQ_ENABLE_QUEUES, &vf->vc.aq_required);
	simnic_vf_rss_request(vf);
	simnic_vf_kick(vf);
	return 0;
}

static int simnic_vf_open(struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	int err;

	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_READY) {
		netdev_err(netdev, "cannot open: the VF is recovering from a reset, try again\n");
		err = -EBUSY;
		goto out_unlock;
	}
	err = __simnic_vf_open(vf);
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

/* The queues stop: the PF is asked to disable them, our vectors and NAPI go */
static void __simnic_vf_stop(struct simnic_vf *vf)
{
	struct net_device *netdev = vf->netdev;
	u16 i;

	lockdep_assert_held(&vf->lock);
	if (!vf->up)
		return;
	vf->up = false;
	WRITE_ONCE(vf->txq_live, false);
	netif_tx_disable(netdev);
	netif_carrier_off(netdev);
	clear_bit(SIMNIC_VF_AQ_CONFIG_QUEUES, &vf->vc.aq_required);
	clear_bit(SIMNIC_VF_AQ_MAP_VECTORS, &vf->vc.aq_required);
	clear_bit(SIMNIC_VF_AQ_ENABLE_QUEUES, &vf->vc.aq_required);
	clear_bit(SIMNIC_VF_AQ_RSS_KEY, &vf->vc.aq_required);
	clear_bit(SIMNIC_VF_AQ_RSS_LUT, &vf->vc.aq_required);
	if (vf->state == SIMNIC_VF_READY) {
		set_bit(SIMNIC_VF_AQ_DISABLE_QUEUES, &vf->vc.aq_required);
		simnic_vf_kick(vf);
	}
	/* No interrupt can schedule NAPI once the vectors are freed */
	simnic_vf_free_ring_irqs(vf, vf->num_qps);
	if (vf->napi_on) {
		for (i = 0; i < vf->num_qps; i++)
			napi_disable(&vf->rings[i].napi);
		vf->napi_on = false;
	}
}

static int simnic_vf_stop(struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	mutex_lock(&vf->lock);
	__simnic_vf_stop(vf);
	mutex_unlock(&vf->lock);
	return 0;
}

/**
 * simnic_vf_reconfig_begin - stop the queues for a new ring size, count or MTU
 * @vf: the VF
 *
 * Called with rtnl and vf->lock held. Returns 1 if the queues were running (they
 * are stopped now: change what they are made of, then simnic_vf_reconfig_end()
 * starts them again), 0 if the interface is down, -EBUSY while the VF recovers from
 * a reset (the queues are the recovery's to rebuild).
 */
int simnic_vf_reconfig_begin(struct simnic_vf *vf)
{
	ASSERT_RTNL();
	lockdep_assert_held(&vf->lock);
	if (!vf->up)
		return 0;
	if (vf->state != SIMNIC_VF_READY)
		return -EBUSY;
	__simnic_vf_stop(vf);
	return 1;
}

/**
 * simnic_vf_reconfig_end - start the queues again with the new configuration
 * @vf: the VF
 * @restart: simnic_vf_reconfig_begin() stopped them
 *
 * The PF gets DISABLE_QUEUES, then CONFIG_VSI_QUEUES with the new values,
 * CONFIG_IRQ_MAP and ENABLE_QUEUES, in that order. Called with rtnl and vf->lock held.
 */
int simnic_vf_reconfig_end(struct simnic_vf *vf, bool restart)
{
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&vf->lock);
	if (!restart)
		return 0;
	err = __simnic_vf_open(vf);
	if (err)
		netdev_err(vf->netdev, "cannot restart the queues (%d): bring the interface down and up\n",
			   err);
	return err;
}

/* Within min_mtu and the PF's max_mtu (the core checks); the PF learns the largest
 * frame in CONFIG_VSI_QUEUES, so running queues are configured again
 */
static int simnic_vf_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	int restart, err;

	mutex_lock(&vf->lock);
	restart = simnic_vf_reconfig_begin(vf);
	if (restart < 0) {
		netdev_err(netdev, "cannot change the MTU now: the VF is recovering from a reset, try again\n");
		err = restart;
		goto out_unlock;
	}
	netdev_dbg(netdev, "MTU %u, was %u\n", new_mtu, netdev->mtu);
	WRITE_ONCE(netdev->mtu, new_mtu);
	err = simnic_vf_reconfig_end(vf, restart);
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

static void simnic_vf_get_stats64(struct net_device *netdev,
				  struct rtnl_link_stats64 *stats)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	u64 rxp, rxb, txp, txb, txd;
	struct simnic_vf_ring *ring;
	unsigned int start;
	u16 i;

	/* every ring, used now or before a reconfiguration: the counters stay */
	for (i = 0; i < SIMNIC_MAX_QUEUES; i++) {
		ring = &vf->rings[i];
		do {
			start = u64_stats_fetch_begin(&ring->rx_syncp);
			rxp = ring->rx_packets;
			rxb = ring->rx_bytes;
		} while (u64_stats_fetch_retry(&ring->rx_syncp, start));
		do {
			start = u64_stats_fetch_begin(&ring->tx_syncp);
			txp = ring->tx_packets;
			txb = ring->tx_bytes;
			txd = ring->tx_dropped;
		} while (u64_stats_fetch_retry(&ring->tx_syncp, start));
		stats->rx_packets += rxp;
		stats->rx_bytes += rxb;
		stats->tx_packets += txp;
		stats->tx_bytes += txb;
		stats->tx_dropped += txd;
	}
}

/* The PF must agree (it refuses an untrusted VF whose MAC the host set): wait for its
 * answer, as iavf does, a bounded time
 */
static int simnic_vf_set_mac(struct net_device *netdev, void *p)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	if (ether_addr_equal(netdev->dev_addr, addr->sa_data))
		return 0;
	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_READY || vf->mac_req_err == -EINPROGRESS) {
		netdev_err(netdev, "cannot change the MAC now: the VF is busy (recovering or changing it), try again\n");
		err = -EBUSY;
		goto out_unlock;
	}
	ether_addr_copy(vf->mac_req, addr->sa_data);
	vf->mac_req_err = -EINPROGRESS;
	set_bit(SIMNIC_VF_AQ_CHANGE_MAC, &vf->vc.aq_required);
	simnic_vf_kick(vf);
	mutex_unlock(&vf->lock);
	wait_event_timeout(vf->vc.wq, READ_ONCE(vf->mac_req_err) != -EINPROGRESS ||
			   READ_ONCE(vf->state) == SIMNIC_VF_REMOVING,
			   2 * SIMNIC_VF_OP_TIMEOUT);
	mutex_lock(&vf->lock);
	err = vf->mac_req_err;
	switch (err) {
	case 0:
		ether_addr_copy(vf->mac, vf->mac_req);
		eth_hw_addr_set(netdev, vf->mac);
		break;
	case -EPERM:
		netdev_err(netdev, "the PF refused MAC %pM: the host set this VF's MAC; ask it for 'trust on' or to set the MAC\n",
			   vf->mac_req);
		break;
	case -EINPROGRESS:
		vf->mac_req_err = -ETIMEDOUT;	/* a late answer is ignored */
		err = -ETIMEDOUT;
		fallthrough;
	default:
		netdev_err(netdev, "MAC %pM not set: %s\n", vf->mac_req,
			   err == -ETIMEDOUT ? "no answer from the PF" :
			   "the VF was reset meanwhile");
		break;
	}
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

/* VLAN filtering is on unless the PF offers no VLAN capability (SIMNIC_VF_VLAN_OFF),
 * and not the user's to change (ethtool -k: rx-vlan-filter [fixed]). When it turns
 * off the stack hands every VID to ndo_vlan_rx_kill_vid, and when it turns on again
 * to ndo_vlan_rx_add_vid (NETDEV_CVLAN_FILTER_DROP_INFO / _PUSH_INFO), so the VLAN
 * devices on the VF and our list stay one.
 */
static bool simnic_vf_vlan_filtering(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	return vf->vlan.proto != SIMNIC_VF_VLAN_OFF;
}

static netdev_features_t simnic_vf_fix_features(struct net_device *netdev,
						netdev_features_t features)
{
	struct simnic_vf *vf = netdev->ml_priv;

	mutex_lock(&vf->lock);
	if (simnic_vf_vlan_filtering(vf))
		features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	else
		features &= ~NETIF_F_HW_VLAN_CTAG_FILTER;
	if (!(vf->vc.caps & SIMNIC_VF_OFFLOAD_RX_GSO))
		features &= ~NETIF_F_GRO_HW;
	if (!vf->vlan.strip_offered)
		features &= ~NETIF_F_HW_VLAN_CTAG_RX;
	if (!vf->vlan.insert_offered)
		features &= ~NETIF_F_HW_VLAN_CTAG_TX;
	mutex_unlock(&vf->lock);
	return features;
}

/* rxvlan and txvlan go to the PF from the watchdog; rx-gro-hw changes the rx
 * buffers the PF configures: the queues restart
 */
static int simnic_vf_set_features(struct net_device *netdev, netdev_features_t features)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	bool rx_gso = !!(features & NETIF_F_GRO_HW);
	int restart, err = 0;

	mutex_lock(&vf->lock);
	simnic_vf_vlan_offload_want(vf, !!(features & NETIF_F_HW_VLAN_CTAG_RX),
				    !!(features & NETIF_F_HW_VLAN_CTAG_TX));
	if (vf->vc.aq_required)
		simnic_vf_kick(vf);
	if (rx_gso == vf->rx_gso)
		goto out_unlock;
	restart = simnic_vf_reconfig_begin(vf);
	if (restart < 0) {
		netdev_err(netdev, "cannot change rx-gro-hw now: the VF is recovering from a reset, try again\n");
		err = restart;
		goto out_unlock;
	}
	vf->rx_gso = rx_gso;
	err = simnic_vf_reconfig_end(vf, restart);
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

static const struct net_device_ops simnic_vf_netdev_ops = {
	.ndo_open = simnic_vf_open,
	.ndo_stop = simnic_vf_stop,
	.ndo_start_xmit = simnic_vf_xmit,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_mac_address = simnic_vf_set_mac,
	.ndo_set_rx_mode = simnic_vf_set_rx_mode,
	.ndo_change_mtu = simnic_vf_change_mtu,
	.ndo_get_stats64 = simnic_vf_get_stats64,
	.ndo_vlan_rx_add_vid = simnic_vf_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid = simnic_vf_vlan_rx_kill_vid,
	.ndo_fix_features = simnic_vf_fix_features,
	.ndo_set_features = simnic_vf_set_features,
};

/* A reset took the queues away: stop using them. The vectors stay ours. */
void simnic_vf_quiesce(struct simnic_vf *vf)
{
	u16 i;

	lockdep_assert_held(&vf->lock);
	WRITE_ONCE(vf->txq_live, false);
	if (!vf->up)
		return;
	netif_tx_disable(vf->netdev);
	netif_carrier_off(vf->netdev);
	if (vf->napi_on) {
		for (i = 0; i < vf->num_qps; i++)
			napi_disable(&vf->rings[i].napi);
		vf->napi_on = false;
	}
}

/* A reconfiguration event: the function is to be re-created. Until then the netdev is
 * not present (ip link set up fails with ENODEV) and has no vectors.
 */
void simnic_vf_detach(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	if (!vf->registered)
		return;
	simnic_vf_quiesce(vf);
	netif_device_detach(vf->netdev);
	if (vf->up)
		simnic_vf_free_ring_irqs(vf, vf->num_qps);
}

/* After a reset, what needs rtnl: the function anew after a reconfiguration (queue
 * count from the new grant, vectors), and the MAC if the host gave us another one.
 * Called with vf->lock held and returns with it held, but drops it to take rtnl
 * first (the lock order); the caller checks the state again after.
 */
void simnic_vf_renew(struct simnic_vf *vf)
{
	struct net_device *netdev = vf->netdev;
	bool filtering;
	u16 nq;
	int err;

	lockdep_assert_held(&vf->lock);
	mutex_unlock(&vf->lock);
	rtnl_lock();
	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_INIT_NETDEV)
		goto out_unlock;
	filtering = simnic_vf_vlan_filtering(vf);
	if (vf->vlan.offers_changed ||
	    filtering != !!(netdev->features & NETIF_F_HW_VLAN_CTAG_FILTER)) {
		if (filtering != !!(netdev->features & NETIF_F_HW_VLAN_CTAG_FILTER))
			netdev_info(netdev, "VLAN filtering %s\n", filtering ?
				    "on again: the PF offers VLAN filters" :
				    "off: the PF offers no VLAN capability (a switchdev eswitch); VLAN devices pass unfiltered");
		/* the tag offloads the PF offers now, as the user wants them */
		vf->vlan.offers_changed = false;
		/* ndo_vlan_rx_{add,kill}_vid take our lock */
		mutex_unlock(&vf->lock);
		netdev_update_features(netdev);
		mutex_lock(&vf->lock);
		if (vf->state != SIMNIC_VF_INIT_NETDEV)
			goto out_unlock;
	}
	if (!ether_addr_equal(netdev->dev_addr, vf->mac)) {
		netdev_info(netdev, "MAC %pM from the PF, was %pM\n", vf->mac, netdev->dev_addr);
		eth_hw_addr_set(netdev, vf->mac);
		ether_addr_copy(netdev->perm_addr, vf->mac);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, netdev);
	}
	netdev->max_mtu = vf->max_mtu;
	if (!vf->rst.recreate)
		goto out_unlock;
	nq = min_t(u16, vf->max_qps, num_online_cpus());
	if (netif_set_real_num_queues(netdev, nq, nq))
		nq = vf->num_qps;	/* cannot shrink or grow: keep what we had */
	vf->num_qps = nq;
	vf->rings_used = max(vf->rings_used, nq);
	if (vf->up) {
		err = simnic_vf_request_ring_irqs(vf);
		if (err)
			netdev_err(netdev, "cannot re-create the queue vectors (%d): bring the interface down and up\n",
				   err);
	}
	netif_device_attach(netdev);
	netif_tx_stop_all_queues(netdev);	/* until the PF enables them */
	vf->rst.recreate = false;
	vf->cnt.recreations++;
	netdev_info(netdev, "re-created with %u queue pairs\n", nq);
out_unlock:
	mutex_unlock(&vf->lock);
	rtnl_unlock();
	mutex_lock(&vf->lock);
}

/* simnic_vf_renew() has work to do */
bool simnic_vf_needs_renew(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	return vf->rst.recreate || !ether_addr_equal(vf->netdev->dev_addr, vf->mac) ||
	       vf->vlan.offers_changed || simnic_vf_vlan_filtering(vf) !=
	       !!(vf->netdev->features & NETIF_F_HW_VLAN_CTAG_FILTER);
}

/* After a reset, the PF has given us resources again: ask for what we had */
void simnic_vf_rebuild(struct simnic_vf *vf)
{
	u16 i;

	lockdep_assert_held(&vf->lock);
	simnic_vf_vlan_fit(vf);
	if (vf->num_qps > vf->max_qps)
		netdev_err(vf->netdev, "PF now grants %u queue pairs, we use %u\n",
			   vf->max_qps, vf->num_qps);
	if (!vf->up)
		return;
	if (!vf->napi_on) {
		for (i = 0; i < vf->num_qps; i++)
			napi_enable(&vf->rings[i].napi);
		vf->napi_on = true;
	}
	set_bit(SIMNIC_VF_AQ_CONFIG_QUEUES, &vf->vc.aq_required);
	set_bit(SIMNIC_VF_AQ_MAP_VECTORS, &vf->vc.aq_required);
	set_bit(SIMNIC_VF_AQ_ENABLE_QUEUES, &vf->vc.aq_required);
	simnic_vf_rss_request(vf);
}

/* ENABLE_QUEUES succeeded: the data path is live */
void simnic_vf_queues_enabled(struct simnic_vf *vf)
{
	u16 i;

	lockdep_assert_held(&vf->lock);
	if (!vf->up)
		return;
	for (i = 0; i < vf->num_qps; i++) {
		/* the PF flushed the ring when it disabled the queue */
		vf->rings[i].tx_len = vf->tx_ring_len;
		WRITE_ONCE(vf->rings[i].tx_next, simnic_hw_tx_done(vf->fn, i));
		WRITE_ONCE(vf->rings[i].tx_full, false);
		simnic_hw_rx_arm(vf->fn, i);
	}
	WRITE_ONCE(vf->txq_live, true);
	if (vf->link_up) {
		netif_carrier_on(vf->netdev);
		netif_tx_start_all_queues(vf->netdev);
	}
}

void simnic_vf_set_link(struct simnic_vf *vf, bool up, u32 speed)
{
	lockdep_assert_held(&vf->lock);

	/* ethtool msglvl link turns these on and off */
	if (vf->link_up != up && vf->registered)
		netif_info(vf, link, vf->netdev, "link %s\n", up ? "up" : "down");
	vf->link_up = up;
	vf->link_speed = speed;
	if (!vf->registered || !vf->up)
		return;
	/* Transmit stops with the link at once: carrier off reaches the qdisc only when
	 * linkwatch gets to it, up to a second later
	 */
	if (up) {
		/* carrier first: NAPI wakes a full ring's queue only with it */
		netif_carrier_on(vf->netdev);
		if (vf->txq_live)
			netif_tx_wake_all_queues(vf->netdev);
	} else {
		netif_tx_stop_all_queues(vf->netdev);
		netif_carrier_off(vf->netdev);
	}
}

/* Every ring's NAPI context goes, with one grace period for them all before the
 * rings may be freed, where netif_napi_del() would wait for one per ring: 16 per VF
 * made disabling 64 VFs take 15 s longer under TCG
 */
static void simnic_vf_napi_del_all(struct simnic_vf *vf)
{
	u16 i;

	for (i = 0; i < SIMNIC_MAX_QUEUES; i++)
		__netif_napi_del(&vf->rings[i].napi);
	synchronize_net();
}

int simnic_vf_netdev_register(struct simnic_vf *vf)
{
	struct net_device *netdev;
	u16 i, nq;
	int err;

	mutex_lock(&vf->lock);
	nq = min_t(u16, vf->max_qps, num_online_cpus());
	mutex_unlock(&vf->lock);

	/* As many queues as the PF may ever grant, so that a reconfiguration only
	 * changes how many are real; the rings stay allocated with the netdev
	 */
	netdev = alloc_etherdev_mq(0, SIMNIC_MAX_QUEUES);
	if (!netdev)
		return -ENOMEM;
	netdev->ml_priv = vf;
	SET_NETDEV_DEV(netdev, &vf->pdev->dev);
	netdev->netdev_ops = &simnic_vf_netdev_ops;
	simnic_vf_set_ethtool_ops(netdev);
	/* The offloads of every simnic VF, as iavf has them on every Intel VF; whole
	 * GSO frames on receive if the PF grants them, VLAN tag stripping and
	 * insertion if its VLAN V2 caps offer them (simnic_vf_fix_features())
	 */
	netdev->hw_features = SIMNIC_VF_TX_OFFLOADS | NETIF_F_RXCSUM | NETIF_F_GRO_HW |
			      NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX;
	netdev->features = netdev->hw_features;
	netdev->vlan_features = SIMNIC_VF_TX_OFFLOADS;
	/* Filtering is on if the PF offers VLANs (simnic_vf_fix_features()) */
	netdev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	/* The PF filters the unicast list: a macvlan needs no promiscuous mode */
	netdev->priv_flags |= IFF_UNICAST_FLT;
	netdev->min_mtu = ETH_MIN_MTU;
	netif_carrier_off(netdev);

	err = netif_set_real_num_queues(netdev, nq, nq);
	if (err)
		goto err_free_netdev;
	vf->rings = kcalloc(SIMNIC_MAX_QUEUES, sizeof(*vf->rings), GFP_KERNEL);
	if (!vf->rings) {
		err = -ENOMEM;
		goto err_free_netdev;
	}
	for (i = 0; i < SIMNIC_MAX_QUEUES; i++) {
		vf->rings[i].vf = vf;
		vf->rings[i].qid = i;
		u64_stats_init(&vf->rings[i].rx_syncp);
		u64_stats_init(&vf->rings[i].tx_syncp);
		netif_napi_add(netdev, &vf->rings[i].napi, simnic_vf_napi_poll);
	}

	mutex_lock(&vf->lock);
	eth_hw_addr_set(netdev, vf->mac);
	ether_addr_copy(netdev->perm_addr, vf->mac);
	netdev->max_mtu = vf->max_mtu;
	vf->num_qps = nq;
	vf->rings_used = nq;
	vf->rx_gso = !!(vf->vc.caps & SIMNIC_VF_OFFLOAD_RX_GSO);
	vf->vlan.offers_changed = false;	/* the features start from these offers */
	vf->netdev = netdev;
	mutex_unlock(&vf->lock);

	rtnl_lock();
	err = simnic_vf_inject(SIMNIC_VF_PROBE_NETDEV) ?: register_netdevice(netdev);
	if (!err) {
		mutex_lock(&vf->lock);
		vf->registered = true;
		mutex_unlock(&vf->lock);
	}
	rtnl_unlock();
	if (err)
		goto err_del_napi;
	netif_info(vf, probe, netdev, "simnic VF %u, MAC %pM, %u queue pairs\n",
		   simnic_hw_fn_vf_id(vf->fn), vf->mac, nq);
	return 0;

err_del_napi:
	mutex_lock(&vf->lock);
	vf->netdev = NULL;
	vf->num_qps = 0;
	vf->rings_used = 0;
	mutex_unlock(&vf->lock);
	simnic_vf_napi_del_all(vf);
	kfree(vf->rings);
	vf->rings = NULL;
err_free_netdev:
	free_netdev(netdev);
	return err;
}

void simnic_vf_netdev_unregister(struct simnic_vf *vf)
{
	struct net_device *netdev = vf->netdev;

	if (!netdev)
		return;
	rtnl_lock();
	if (vf->registered) {
		unregister_netdevice(netdev);
		mutex_lock(&vf->lock);
		vf->registered = false;
		mutex_unlock(&vf->lock);
	}
	/* under RTNL: synchronize_net() takes an expedited grace period */
	simnic_vf_napi_del_all(vf);
	rtnl_unlock();
	mutex_lock(&vf->lock);
	vf->netdev = NULL;
	mutex_unlock(&vf->lock);
	kfree(vf->rings);
	vf->rings = NULL;
	free_netdev(netdev);
}
