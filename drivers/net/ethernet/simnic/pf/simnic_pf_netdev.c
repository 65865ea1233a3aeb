// SPDX-License-Identifier: GPL-2.0
/* The PF's own netdev: one queue pair on the card's switch, and its link */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <simnic/simnic_compat.h>
#include "simnic_pf.h"

static int simnic_pf_napi_poll(struct napi_struct *napi, int budget)
{
	struct simnic_pf *pf = container_of(napi, struct simnic_pf, napi);
	struct net_device *netdev = pf->netdev;
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = simnic_hw_rx_pop(pf->fn, 0))) {
		/* the switch's word that it filled the checksum in, if we take it */
		if (!(netdev->features & NETIF_F_RXCSUM) &&
		    skb->ip_summed == CHECKSUM_UNNECESSARY)
			skb->ip_summed = CHECKSUM_NONE;
		skb->protocol = eth_type_trans(skb, netdev);
		napi_gro_receive(napi, skb);
		done++;
	}
	if (done < budget && napi_complete_done(napi, done))
		simnic_hw_rx_arm(pf->fn, 0);
	return done;
}

static void simnic_pf_rx_irq(void *data)
{
	struct simnic_pf *pf = data;

	napi_schedule(&pf->napi);
}

/* Program and start the PF's queue pair, at open and after servicing or a reload.
 * While the PF is down for a reload, open leaves it stopped: the reload starts it.
 */
void simnic_pf_queue_start(struct simnic_pf *pf)
{
	ASSERT_RTNL();
	if (pf->reloading)
		return;
	if (simnic_hw_pf_cfg_queue(pf->fn, pf->fn, 0, SIMNIC_RING_DEFAULT,
				   SIMNIC_MAX_FRAME, SIMNIC_PF_VEC_RX, false) ||
	    simnic_hw_pf_enable_queue(pf->fn, pf->fn, 0, true)) {
		/* only while the card is away: servicing starts it again */
		netdev_warn(pf->netdev, "device away: queue starts when it is back\n");
		return;
	}
	simnic_hw_rx_arm(pf->fn, 0);
	if (simnic_hw_link_up(pf->fn))
		netif_carrier_on(pf->netdev);
	netif_wake_queue(pf->netdev);
}

/* Stop the PF's queue pair for a reload: transmit, carrier and the queue in the
 * device. NAPI and the vector stay, as they belong to the netdev being up.
 */
void simnic_pf_queue_stop(struct simnic_pf *pf)
{
	ASSERT_RTNL();
	if (!netif_running(pf->netdev))
		return;
	netif_tx_disable(pf->netdev);
	netif_carrier_off(pf->netdev);
	simnic_hw_pf_enable_queue(pf->fn, pf->fn, 0, false);
}

static int simnic_pf_open(struct net_device *netdev)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	int err;

	err = simnic_hw_request_irq(pf->fn, SIMNIC_PF_VEC_RX, simnic_pf_rx_irq, pf);
	if (err)
		return err;
	napi_enable(&pf->napi);
	simnic_pf_queue_start(pf);
	return 0;
}

static int simnic_pf_stop(struct net_device *netdev)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);

	netif_stop_queue(netdev);
	netif_carrier_off(netdev);
	simnic_hw_pf_enable_queue(pf->fn, pf->fn, 0, false);
	simnic_hw_free_irq(pf->fn, SIMNIC_PF_VEC_RX);
	napi_disable(&pf->napi);
	return 0;
}

static netdev_tx_t simnic_pf_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);

	simnic_hw_xmit(pf->fn, 0, skb);
	return NETDEV_TX_OK;
}

static int simnic_pf_set_mac(struct net_device *netdev, void *p)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	err = simnic_hw_pf_set_mac_filter(pf->fn, pf->fn, addr->sa_data, true);
	if (err)
		return err;
	simnic_hw_pf_set_mac_filter(pf->fn, pf->fn, netdev->dev_addr, false);
	eth_hw_addr_set(netdev, addr->sa_data);
	return 0;
}

static void simnic_pf_get_stats64(struct net_device *netdev,
				  struct rtnl_link_stats64 *stats)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_hw_fn_stats hw;

	simnic_hw_fn_stats(pf->fn, &hw);
	stats->tx_packets = hw.tx_packets;
	stats->tx_bytes = hw.tx_bytes;
	stats->tx_dropped = hw.tx_dropped;
	stats->rx_packets = hw.rx_packets;
	stats->rx_bytes = hw.rx_bytes;
	stats->rx_dropped = hw.rx_dropped;
}

/* The uplink, on kernels that ask the netdev for its devlink port (simnic_compat.h):
 * phys_port_name and phys_switch_id come from it
 */
static __maybe_unused struct devlink_port *
simnic_pf_get_devlink_port(struct net_device *netdev)
{
	return &simnic_netdev_to_pf(netdev)->uplink;
}

static const struct net_device_ops simnic_pf_netdev_ops = {
	.ndo_open = simnic_pf_open,
	.ndo_stop = simnic_pf_stop,
	.ndo_start_xmit = simnic_pf_xmit,
	.ndo_set_mac_address = simnic_pf_set_mac,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_get_stats64 = simnic_pf_get_stats64,
	.ndo_get_vf_config = simnic_pf_get_vf_config,
	.ndo_set_vf_trust = simnic_pf_set_vf_trust,
	.ndo_set_vf_spoofchk = simnic_pf_set_vf_spoofchk,
	.ndo_set_vf_vlan = simnic_pf_set_vf_vlan,
	.ndo_set_vf_link_state = simnic_pf_set_vf_link_state,
	.ndo_set_vf_mac = simnic_pf_set_vf_mac,
	.ndo_set_vf_rate = simnic_pf_set_vf_rate,
	.ndo_get_vf_stats = simnic_pf_get_vf_stats,
	SIMNIC_NDO_GET_DEVLINK_PORT(simnic_pf_get_devlink_port)
};

static void simnic_pf_get_drvinfo(struct net_device *netdev,
				  struct ethtool_drvinfo *info)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);

	strscpy(info->driver, SIMNIC_PF_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, SIMNIC_VERSION, sizeof(info->version));
	strscpy(info->bus_info, pci_name(pf->pdev), sizeof(info->bus_info));
}

static const struct ethtool_ops simnic_pf_ethtool_ops = {
	.get_drvinfo = simnic_pf_get_drvinfo,
	.get_link = ethtool_op_get_link,
};

/* The physical link changed: carrier, and tell every VF */
void simnic_pf_link_update(struct simnic_pf *pf)
{
	bool up = simnic_hw_link_up(pf->fn);
	u16 i;

	rtnl_lock();
	if (netif_running(pf->netdev)) {
		if (up)
			netif_carrier_on(pf->netdev);
		else
			netif_carrier_off(pf->netdev);
	}
	rtnl_unlock();

	mutex_lock(&pf->lock);
	pf->link_up = up;
	for (i = 0; i < pf->num_vfs; i++)
		simnic_pf_notify_link(&pf->vfs[i]);
	mutex_unlock(&pf->lock);
}

int simnic_pf_netdev_create(struct simnic_pf *pf)
{
	struct net_device *netdev;
	u8 addr[ETH_ALEN];
	int err;

	/* The netdev's private area holds a pointer-sized back reference only */
	netdev = alloc_etherdev(0);
	if (!netdev)
		return -ENOMEM;
	netdev->ml_priv = pf;
	SET_NETDEV_DEV(netdev, &pf->pdev->dev);
	netdev->netdev_ops = &simnic_pf_netdev_ops;
	netdev->ethtool_ops = &simnic_pf_ethtool_ops;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = SIMNIC_PF_MAX_MTU;
	netdev->hw_features = NETIF_F_RXCSUM;
	netdev->features = NETIF_F_RXCSUM;
	simnic_hw_perm_addr(pf->fn, addr);
	eth_hw_addr_set(netdev, addr);
	ether_addr_copy(netdev->perm_addr, addr);
	netif_napi_add(netdev, &pf->napi, simnic_pf_napi_poll);
	netif_carrier_off(netdev);
	simnic_set_netdev_devlink_port(netdev, &pf->uplink);
	pf->netdev = netdev;
	pf->link_up = simnic_hw_link_up(pf->fn);

	err = simnic_pf_inject(SIMNIC_PF_PROBE_MAC) ?:
	      simnic_hw_pf_set_mac_filter(pf->fn, pf->fn, addr, true);
	if (err)
		goto err_free_netdev;
	err = simnic_pf_inject(SIMNIC_PF_PROBE_NETDEV) ?: register_netdev(netdev);
	if (err)
		goto err_clear_filters;
	simnic_pf_devlink_port_set_netdev(pf);
	return 0;

err_clear_filters:
	simnic_hw_pf_clear_filters(pf->fn, pf->fn);
err_free_netdev:
	netif_napi_del(&pf->napi);
	free_netdev(netdev);
	pf->netdev = NULL;
	return err;
}

void simnic_pf_netdev_destroy(struct simnic_pf *pf)
{
	simnic_pf_devlink_port_clear_netdev(pf);
	unregister_netdev(pf->netdev);
	simnic_hw_pf_clear_filters(pf->fn, pf->fn);
	netif_napi_del(&pf->napi);
	free_netdev(pf->netdev);
	pf->netdev = NULL;
}
