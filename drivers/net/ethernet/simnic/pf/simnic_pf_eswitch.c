// SPDX-License-Identifier: GPL-2.0
/* The PF's eswitch in switchdev mode: a representor per VF (ice_eswitch.c, ice_repr.c).
 *
 * In switchdev mode every VF has a devlink port of flavour pci_vf (pf 0, vf N, the
 * uplink's switch ID) and a representor netdev on it (phys_port_name pfNvfM from the
 * port). The switch does no forwarding of its own (simnic_hw_pf_set_switchdev()): what
 * a VF sends arrives on its representor, and what is sent on a representor goes to its
 * VF, so whatever the host puts above the representors (a Linux bridge, tc) switches.
 * Nothing of the legacy policy filters on the way (simnic_pf_eswitch_vf_policy()):
 * the host's bridge, tc or OVS is the whole policy.
 *
 * Locking: everything here runs with the devlink lock held: the mode change (a
 * devlink op), the work queue's SIMNIC_PF_WORK_VFS_CHANGED (which loads the
 * representors of VFs enabled in switchdev mode), SR-IOV enable and disable, and
 * remove. Representors are registered and unregistered under it, and never under
 * pf->lock: rtnl nests inside the devlink lock, and pf->lock inside rtnl (ndo_set_vf_*),
 * as the rst's lock table has it.
 *
 * The block guard (as mlx5's representor block): SR-IOV enable and disable must
 * release the devlink lock around pci_enable_sriov() and pci_disable_sriov(), as VF
 * drivers bind and unbind in there and their requests are finished by work that wants
 * the lock. For that window they set pf->eswitch_blocked under the devlink lock with
 * simnic_pf_eswitch_block(), and every other path that would reconfigure the eswitch
 * looks at it under the same lock: a mode change is refused with -EBUSY, and the work
 * queue's representor load steps aside (the reconfiguration brings the representors in
 * line itself when it ends). No new mutex, so no new lock order.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <simnic/simnic_compat.h>
#include "simnic_pf.h"

/* A representor: the netdev's private area */
struct simnic_pf_repr {
	struct simnic_pf *pf;
	struct net_device *netdev;
	u16 vf_id;
	/* flavour pci_vf: registered before the netdev, unregistered after it */
	struct devlink_port port;
	struct list_head unload;	/* on the way out: simnic_pf_reprs_unload() */
};

/**
 * simnic_pf_eswitch_block - the block guard: an eswitch reconfiguration begins
 * @pf: the PF, its devlink instance locked
 *
 * Held (pf->eswitch_blocked) across a window where the reconfiguration releases the
 * devlink lock. Not reentrant: a path that holds the guard must not call another
 * that takes it. Callers: simnic_pf_sriov_enable() and simnic_pf_sriov_disable()
 * only, serialised by the PF's device lock (sriov_configure and remove); the enable
 * releases the guard before it calls the disable on its error path. A second taker
 * is a bug: it warns and gets -EBUSY rather than waiting, as waiting could only
 * deadlock.
 */
int simnic_pf_eswitch_block(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	if (WARN_ON(pf->eswitch_blocked))
		return -EBUSY;
	pf->eswitch_blocked = true;
	return 0;
}

void simnic_pf_eswitch_unblock(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	WARN_ON(!pf->eswitch_blocked);
	pf->eswitch_blocked = false;
}

static int simnic_pf_repr_open(struct net_device *netdev)
{
	netif_carrier_on(netdev);
	netif_start_queue(netdev);
	return 0;
}

static int simnic_pf_repr_stop(struct net_device *netdev)
{
	netif_stop_queue(netdev);
	netif_carrier_off(netdev);
	return 0;
}

/* To the VF. No queue state (lockless, simnic_netdev_set_lltx()): the switch takes or
 * drops the frame.
 */
static netdev_tx_t simnic_pf_repr_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct simnic_pf_repr *repr = netdev_priv(netdev);
	unsigned int len = skb->len;

	if (simnic_hw_pf_rep_xmit(repr->pf->fn, repr->vf_id, skb))
		dev_core_stats_tx_dropped_inc(netdev);
	else
		dev_sw_netstats_tx_add(netdev, 1, len);
	return NETDEV_TX_OK;
}

/* Packets and bytes per CPU (tstats); drops in the core's counters, which
 * dev_get_stats() adds
 */
static void simnic_pf_repr_get_stats64(struct net_device *netdev,
				       struct rtnl_link_stats64 *stats)
{
	dev_get_tstats64(netdev, stats);
}

/* The representor's port, on kernels that ask the netdev for its devlink port
 * (simnic_compat.h): phys_port_name and phys_switch_id come from it
 */
static __maybe_unused struct devlink_port *
simnic_pf_repr_get_devlink_port(struct net_device *netdev)
{
	struct simnic_pf_repr *repr = netdev_priv(netdev);

	return &repr->port;
}

static const struct net_device_ops simnic_pf_repr_netdev_ops = {
	.ndo_open = simnic_pf_repr_open,
	.ndo_stop = simnic_pf_repr_stop,
	.ndo_start_xmit = simnic_pf_repr_xmit,
	.ndo_get_stats64 = simnic_pf_repr_get_stats64,
	SIMNIC_NDO_GET_DEVLINK_PORT(simnic_pf_repr_get_devlink_port)
};

static void simnic_pf_repr_get_drvinfo(struct net_device *netdev,
				       struct ethtool_drvinfo *info)
{
	struct simnic_pf_repr *repr = netdev_priv(netdev);

	strscpy(info->driver, SIMNIC_PF_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, SIMNIC_VERSION, sizeof(info->version));
	strscpy(info->bus_info, pci_name(repr->pf->pdev), sizeof(info->bus_info));
}

static const struct ethtool_ops simnic_pf_repr_ethtool_ops = {
	.get_drvinfo = simnic_pf_repr_get_drvinfo,
	.get_link = ethtool_op_get_link,
};

/* The switch's handler of what a VF sent (atomic context, RCU read side): its
 * representor receives it
 */
static void simnic_pf_eswitch_rx(void *data, u16 vf, struct sk_buff *skb)
{
	struct simnic_pf *pf = data;
	struct simnic_pf_repr *repr;
	struct net_device *netdev;
	unsigned int len;

	repr = vf < SIMNIC_MAX_VFS ? rcu_dereference(pf->reprs[vf]) : NULL;
	if (!repr) {
		kfree_skb(skb);
		return;
	}
	netdev = repr->netdev;
	if (!netif_running(netdev)) {
		dev_core_stats_rx_dropped_inc(netdev);
		kfree_skb(skb);
		return;
	}
	len = skb->len;
	skb->protocol = eth_type_trans(skb, netdev);
	/* a drop in the backlog is counted by the core */
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(netdev, len);
}

/* The port and the netdev of VF @vf_id's representor */
static int simnic_pf_repr_add(struct simnic_pf *pf, u16 vf_id)
{
	struct devlink *devlink = priv_to_devlink(pf);
	struct devlink_port_attrs attrs = {};
	struct simnic_pf_repr *repr;
	struct net_device *netdev;
	u8 addr[ETH_ALEN];
	int err;

	devl_assert_locked(devlink);
	netdev = alloc_etherdev(sizeof(*repr));
	if (!netdev)
		return -ENOMEM;
	repr = netdev_priv(netdev);
	repr->pf = pf;
	repr->netdev = netdev;
	repr->vf_id = vf_id;
	netdev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!netdev->tstats) {
		err = -ENOMEM;
		goto err_free_netdev;
	}

	simnic_hw_perm_addr(pf->fn, addr);
	attrs.flavour = DEVLINK_PORT_FLAVOUR_PCI_VF;
	attrs.pci_vf.pf = 0;
	attrs.pci_vf.vf = vf_id;
	memcpy(attrs.switch_id.id, addr, ETH_ALEN);
	attrs.switch_id.id_len = ETH_ALEN;
	devlink_port_attrs_set(&repr->port, &attrs);
	err = devl_port_register(devlink, &repr->port, SIMNIC_PF_REPR_PORT(vf_id));
	if (err)
		goto err_free_stats;

	netdev->netdev_ops = &simnic_pf_repr_netdev_ops;
	netdev->ethtool_ops = &simnic_pf_repr_ethtool_ops;
	SET_NETDEV_DEV(netdev, &pf->pdev->dev);
	simnic_set_netdev_devlink_port(netdev, &repr->port);
	eth_hw_addr_random(netdev);
	simnic_netdev_set_lltx(netdev);
	netdev->max_mtu = SIMNIC_PF_MAX_MTU;
	netif_carrier_off(netdev);
	/* a failure here unwinds the port too */
	err = simnic_pf_fail_step(SIMNIC_PF_STEP_REPR) ?: register_netdev(netdev);
	if (err)
		goto err_port_unregister;
	simnic_devlink_port_type_eth_set(&repr->port, netdev);
	rcu_assign_pointer(pf->reprs[vf_id], repr);
	return 0;

err_port_unregister:
	devl_port_unregister(&repr->port);
err_free_stats:
	free_percpu(netdev->tstats);
err_free_netdev:
	free_netdev(netdev);
	return err;
}

/* Unpublished already, and no handler runs that could still see it */
static void simnic_pf_repr_del(struct simnic_pf_repr *repr)
{
	struct net_device *netdev = repr->netdev;

	devl_assert_locked(priv_to_devlink(repr->pf));
	simnic_devlink_port_type_clear(&repr->port);
	unregister_netdev(netdev);
	devl_port_unregister(&repr->port);
	free_percpu(netdev->tstats);
	free_netdev(netdev);
}

/* Representors for VFs num_reprs..@num_vfs - 1; on a failure, the ones made stay */
static int simnic_pf_reprs_load(struct simnic_pf *pf, u16 num_vfs)
{
	int err;

	devl_assert_locked(priv_to_devlink(pf));
	for (; pf->num_reprs < num_vfs; pf->num_reprs++) {
		err = simnic_pf_repr_add(pf, pf->num_reprs);
		if (err) {
			dev_err(&pf->pdev->dev, "VF %u: no representor: %d\n", pf->num_reprs,
				err);
			return err;
		}
	}
	return 0;
}

/* Representors of VFs @num_vfs and up go, in reverse order */
static void simnic_pf_reprs_unload(struct simnic_pf *pf, u16 num_vfs)
{
	struct devlink *devlink = priv_to_devlink(pf);
	struct simnic_pf_repr *repr, *tmp;
	LIST_HEAD(gone);

	devl_assert_locked(devlink);
	if (pf->num_reprs <= num_vfs)
		return;
	while (pf->num_reprs > num_vfs) {
		pf->num_reprs--;
		repr = rcu_replace_pointer(pf->reprs[pf->num_reprs], NULL,
					   devl_lock_is_held(devlink));
		list_add_tail(&repr->unload, &gone);
	}
	/* the switch's handler may have one in hand: let it finish with it */
	synchronize_net();
	list_for_each_entry_safe(repr, tmp, &gone, unload)
		simnic_pf_repr_del(repr);
}

/**
 * simnic_pf_eswitch_vf_policy - the VFs' legacy policy off (switchdev) or on again
 * @pf: the PF, its devlink instance locked
 * @switchdev: the mode the eswitch is entering
 *
 * As ice in switchdev mode (ice_eswitch_cfg_vsi(), ice_vc_get_vlan_caps(), its
 * representor virtchnl ops), the representors are the whole policy: no anti-spoof, MAC
 * or VLAN filters, port VLAN or promiscuous modes for the VFs, and no VLAN
 * capabilities offered to them. Every VF is reset, so that simnic_pf_reset_vf()
 * programs the switch for the mode and the VF negotiates again; the host's settings
 * stay, to be applied again in legacy mode. While the card is being serviced (or the
 * PF reloaded), the rebuild that ends it resets the VFs instead.
 */
static void simnic_pf_eswitch_vf_policy(struct simnic_pf *pf, bool switchdev)
{
	u16 i;

	devl_assert_locked(priv_to_devlink(pf));
	mutex_lock(&pf->lock);
	pf->switchdev = switchdev;
	if (pf->num_vfs && !pf->in_service && !pf->reloading) {
		for (i = 0; i < pf->num_vfs; i++)
			simnic_pf_trigger_vf_reset(&pf->vfs[i]);
		dev_info(&pf->pdev->dev, "%u VFs reset for the %s policy\n", pf->num_vfs,
			 switchdev ? "switchdev" : "legacy");
	}
	mutex_unlock(&pf->lock);
}

/* Into switchdev: representors first, then the switch sends the VFs' frames to them */
static int simnic_pf_eswitch_enable(struct simnic_pf *pf, struct netlink_ext_ack *extack)
{
	int err;

	devl_assert_locked(priv_to_devlink(pf));
	err = simnic_pf_reprs_load(pf, pf->eswitch_vfs);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot create the VF representors");
		goto err_unload;
	}
	err = simnic_pf_fail_step(SIMNIC_PF_STEP_SWITCHDEV) ?:
	      simnic_hw_pf_set_switchdev(pf->fn, simnic_pf_eswitch_rx, pf);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the switch refused switchdev mode");
		goto err_unload;
	}
	pf->eswitch_mode = DEVLINK_ESWITCH_MODE_SWITCHDEV;
	simnic_pf_eswitch_vf_policy(pf, true);
	dev_info(&pf->pdev->dev, "eswitch in switchdev mode, %u VF representors\n",
		 pf->num_reprs);
	return 0;

err_unload:
	simnic_pf_reprs_unload(pf, 0);
	return err;
}

/* Back to legacy, in the reverse order: the VFs' policy first (the VEB must not
 * forward one frame without it), the VEB again, then the representors go
 */
static void simnic_pf_eswitch_disable(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	simnic_pf_eswitch_vf_policy(pf, false);
	simnic_hw_pf_set_switchdev(pf->fn, NULL, NULL);
	simnic_pf_reprs_unload(pf, 0);
	pf->eswitch_mode = DEVLINK_ESWITCH_MODE_LEGACY;
	dev_info(&pf->pdev->dev, "eswitch in legacy mode\n");
}

/**
 * simnic_pf_eswitch_mode_change - devlink dev eswitch set ... mode legacy|switchdev
 * @pf: the PF, its devlink instance locked
 * @mode: DEVLINK_ESWITCH_MODE_LEGACY or _SWITCHDEV
 * @extack: for the reason of a refusal
 *
 * With VFs or without, as ice allows; the representors are those of the VFs the PF
 * has now (the work queue adds those of VFs enabled later). Refused with -EBUSY while
 * SR-IOV is being enabled or disabled (the block guard) or the card is being
 * serviced. Not an operation boundary of the work queue: the VF resets queued stay
 * meaningful, and a SIMNIC_PF_WORK_VFS_CHANGED still queued finds the eswitch_vfs it
 * would set.
 */
int simnic_pf_eswitch_mode_change(struct simnic_pf *pf, u16 mode,
				  struct netlink_ext_ack *extack)
{
	bool in_service, reloading;
	u16 num_vfs;

	devl_assert_locked(priv_to_devlink(pf));
	if (mode == pf->eswitch_mode)
		return 0;
	if (pf->eswitch_blocked) {
		NL_SET_ERR_MSG_MOD(extack, "VFs are being enabled or disabled: try again");
		return -EBUSY;
	}
	mutex_lock(&pf->lock);
	in_service = pf->in_service;
	reloading = pf->reloading;
	num_vfs = pf->num_vfs;
	mutex_unlock(&pf->lock);
	if (in_service) {
		NL_SET_ERR_MSG_MOD(extack, "the device is being serviced: try again later");
		return -EBUSY;
	}
	/* only after a reload that failed: the devlink lock keeps one under way out */
	if (reloading) {
		NL_SET_ERR_MSG_MOD(extack, "the PF is down after a failed reload: reload it");
		return -EBUSY;
	}
	pf->eswitch_vfs = num_vfs;
	if (mode == DEVLINK_ESWITCH_MODE_SWITCHDEV)
		return simnic_pf_eswitch_enable(pf, extack);
	simnic_pf_eswitch_disable(pf);
	return 0;
}

/**
 * simnic_pf_eswitch_vfs_changed - SR-IOV has @num_vfs VFs now (the work queue's
 * SIMNIC_PF_WORK_VFS_CHANGED)
 * @pf: the PF, its devlink instance locked
 * @num_vfs: how many
 *
 * In switchdev mode, representors are made or removed to match. While the block
 * guard is held, nothing: the reconfiguration under way queues its own change.
 */
void simnic_pf_eswitch_vfs_changed(struct simnic_pf *pf, u16 num_vfs)
{
	devl_assert_locked(priv_to_devlink(pf));
	if (pf->eswitch_blocked)
		return;
	/* num_vfs moves with the devlink lock held too: stable here */
	if (WARN_ON(num_vfs > pf->num_vfs))
		num_vfs = pf->num_vfs;
	pf->eswitch_vfs = num_vfs;
	if (pf->eswitch_mode != DEVLINK_ESWITCH_MODE_SWITCHDEV)
		return;
	simnic_pf_reprs_unload(pf, num_vfs);
	simnic_pf_reprs_load(pf, num_vfs);
}

/**
 * simnic_pf_eswitch_reload_down - the first half of a devlink reload: the
 * representors go, their ports with them
 * @pf: the PF, its devlink instance locked, its function down
 *
 * The switch stays in switchdev mode: until simnic_pf_eswitch_reload() makes the
 * representors again, what the VFs send has none to reach and is dropped.
 */
void simnic_pf_eswitch_reload_down(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	simnic_pf_reprs_unload(pf, 0);
}

/**
 * simnic_pf_eswitch_reload - the end of a devlink reload: the eswitch in @mode
 * @pf: the PF, its devlink instance locked, back up
 * @mode: DEVLINK_ESWITCH_MODE_LEGACY or _SWITCHDEV
 * @extack: for the reason of a failure
 *
 * The reload made a SIMNIC_PF_WORK_VFS_CHANGED still queued stale: the eswitch
 * learns the VF count here. In the mode it had, a representor is made for each VF
 * (simnic_pf_eswitch_reload_down() removed them); a mode change is the one devlink
 * dev eswitch set makes.
 */
int simnic_pf_eswitch_reload(struct simnic_pf *pf, u16 mode,
			     struct netlink_ext_ack *extack)
{
	int err;

	devl_assert_locked(priv_to_devlink(pf));
	/* num_vfs moves with the devlink lock held too: stable here */
	pf->eswitch_vfs = pf->num_vfs;
	if (mode != pf->eswitch_mode)
		return simnic_pf_eswitch_mode_change(pf, mode, extack);
	if (mode != DEVLINK_ESWITCH_MODE_SWITCHDEV)
		return 0;
	simnic_pf_reprs_unload(pf, pf->eswitch_vfs);
	err = simnic_pf_reprs_load(pf, pf->eswitch_vfs);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "cannot create the VF representors");
	return err;
}

/**
 * simnic_pf_eswitch_vfs_gone - the VFs are about to go: their representors first
 * @pf: the PF, its devlink instance locked, the block guard held
 */
void simnic_pf_eswitch_vfs_gone(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	WARN_ON(!pf->eswitch_blocked);
	simnic_pf_reprs_unload(pf, 0);
	pf->eswitch_vfs = 0;
}

/**
 * simnic_pf_eswitch_release - remove: the switch back to its own forwarding
 * @pf: the PF, its VFs (and so their representors) gone
 *
 * Before simnic_hw_fn_put(): the switch must not call the handler of a PF gone.
 */
void simnic_pf_eswitch_release(struct simnic_pf *pf)
{
	struct devlink *devlink = priv_to_devlink(pf);

	devl_lock(devlink);
	if (pf->eswitch_mode == DEVLINK_ESWITCH_MODE_SWITCHDEV)
		simnic_pf_eswitch_disable(pf);
	devl_unlock(devlink);
}
