// SPDX-License-Identifier: GPL-2.0
/* SR-IOV on the PF: enabling and disabling VFs, VF resets, VF configuration */
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/slab.h>
#include "simnic_pf.h"

static unsigned int vf_queues = 4;
module_param(vf_queues, uint, 0444);
MODULE_PARM_DESC(vf_queues, "Queue pairs granted to each VF (1-16, default 4)");

/**
 * simnic_pf_vf_policy_program - the host's policy for @vf into the switch
 * @vf: the VF, its filters cleared
 *
 * In legacy mode: its MAC filter, anti-spoof, VLAN pruning and port VLAN, as the host
 * set them. In switchdev mode none of them, as ice clears them on the VF's VSI
 * (ice_eswitch_cfg_vsi()): whatever the VF sends reaches its representor, and
 * whatever the representor sends reaches the VF. The host's settings are kept for the
 * way back to legacy.
 */
static void simnic_pf_vf_policy_program(struct simnic_pf_vf *vf)
{
	struct simnic_pf *pf = vf->pf;

	lockdep_assert_held(&pf->lock);
	if (pf->switchdev) {
		simnic_hw_pf_set_spoofchk(pf->fn, vf->fn, false);
		simnic_hw_pf_set_vlan_pruning(pf->fn, vf->fn, false);
		simnic_hw_pf_set_port_vlan(pf->fn, vf->fn, 0, 0);
		return;
	}
	if (simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, vf->mac, true))
		dev_warn(&pf->pdev->dev, "VF %u: cannot program MAC %pM\n", vf->id,
			 vf->mac);
	simnic_hw_pf_set_spoofchk(pf->fn, vf->fn, vf->spoofchk);
	simnic_hw_pf_set_vlan_pruning(pf->fn, vf->fn, true);
	simnic_hw_pf_set_port_vlan(pf->fn, vf->fn, vf->port_vlan, vf->port_qos);
}

/* Reset VF @vf: in the device (unless @flags has SIMNIC_PF_RESET_VFLR, an FLR the device
 * has done already: resetting it again would look like a second reset to the VF), then
 * in the PF: filters, VLANs and queues gone, host settings programmed again, and the VF
 * told through its reset status that it may negotiate again.
 */
void simnic_pf_reset_vf(struct simnic_pf_vf *vf, u32 flags)
{
	struct simnic_pf *pf = vf->pf;

	lockdep_assert_held(&pf->lock);

	if (!(flags & SIMNIC_PF_RESET_VFLR))
		simnic_hw_pf_reset_vf(pf->fn, vf->id);
	simnic_hw_pf_clear_filters(pf->fn, vf->fn);
	simnic_pf_vlan_clear(vf);
	simnic_pf_mac_clear(vf);
	simnic_pf_vf_policy_program(vf);
	simnic_hw_pf_set_tx_rate(pf->fn, vf->fn, vf->max_tx_rate);
	memset(vf->ring_len, 0, sizeof(vf->ring_len));
	memset(vf->tx_ring_len, 0, sizeof(vf->tx_ring_len));
	memset(vf->max_frame, 0, sizeof(vf->max_frame));
	vf->rx_gso = 0;
	vf->state = SIMNIC_PF_VF_STATE_RESET;
	vf->reset_pending = false;
	vf->caps = 0;
	simnic_pf_vc_allowlist_set(vf);
	simnic_hw_pf_set_vf_rstat(pf->fn, vf->id, SIMNIC_VFR_COMPLETED);
	simnic_hw_pf_set_vf_rstat(pf->fn, vf->id, SIMNIC_VFR_VFACTIVE);
	simnic_pf_replies_on_reset(vf);
}

/* A reset the PF decides on (new settings, PF reset): warn the VF, then reset it */
void simnic_pf_trigger_vf_reset(struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	simnic_pf_notify_reset(vf);
	simnic_pf_reset_vf(vf, 0);
}

/**
 * simnic_pf_vf_reset_request - a VF asked to be reset (VIRTCHNL_OP_RESET_VF)
 * @vf: the VF
 *
 * The device resets it now (its reset count moves, its reset status reads in
 * progress, its queues stop) and it may send nothing but RESET_VF; the PF side is
 * rebuilt from the work queue, which marks the VF active again. If the queue is
 * being torn down, it is rebuilt here.
 */
void simnic_pf_vf_reset_request(struct simnic_pf_vf *vf)
{
	struct simnic_pf *pf = vf->pf;

	lockdep_assert_held(&pf->lock);
	simnic_hw_pf_reset_vf(pf->fn, vf->id);
	vf->state = SIMNIC_PF_VF_STATE_RESET;
	vf->reset_pending = true;
	simnic_pf_vc_allowlist_set(vf);
	if (simnic_pf_wq_queue(pf, SIMNIC_PF_WORK_VF_RESET, vf->id))
		simnic_pf_reset_vf(vf, SIMNIC_PF_RESET_VFLR);
}

/**
 * simnic_pf_vf_reset_finish - rebuild the PF side of a reset a VF asked for
 * @pf: the PF, its devlink instance locked
 * @vf_id: the VF
 *
 * From the work queue. Nothing to do if the VF is gone or was rebuilt meanwhile (an
 * FLR, another request, servicing, which rebuilds every VF when the card is back).
 */
void simnic_pf_vf_reset_finish(struct simnic_pf *pf, u16 vf_id)
{
	devl_assert_locked(priv_to_devlink(pf));
	mutex_lock(&pf->lock);
	if (vf_id < pf->num_vfs && pf->vfs[vf_id].reset_pending && !pf->in_service &&
	    !pf->reloading)
		simnic_pf_reset_vf(&pf->vfs[vf_id], SIMNIC_PF_RESET_VFLR);
	mutex_unlock(&pf->lock);
}

/* Reset every VF at once, each warned first (a change of the PF's own configuration) */
int simnic_pf_reset_all_vfs(struct simnic_pf *pf)
{
	u16 i;

	mutex_lock(&pf->lock);
	if (simnic_pf_busy(pf)) {
		mutex_unlock(&pf->lock);
		return -EBUSY;
	}
	for (i = 0; i < pf->num_vfs; i++)
		simnic_pf_trigger_vf_reset(&pf->vfs[i]);
	if (pf->num_vfs)
		dev_info(&pf->pdev->dev, "reset all %u VFs\n", pf->num_vfs);
	mutex_unlock(&pf->lock);
	return 0;
}

/* PF function-level reset (reset_prepare/reset_done of the PCI core). The device resets
 * every VF with the PF and latches a VFLR for each: the VFs are warned before, and their
 * PF side is rebuilt after, from those latches (whichever of reset_done and the service
 * task sees them first).
 */
void simnic_pf_reset_prepare(struct simnic_pf *pf)
{
	u16 i;

	mutex_lock(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++)
		simnic_pf_notify_reset(&pf->vfs[i]);
	mutex_unlock(&pf->lock);
}

void simnic_pf_reset_done(struct simnic_pf *pf)
{
	unsigned int n;

	simnic_hw_pf_flr_wait(pf->fn);
	n = simnic_pf_handle_vflr(pf);
	dev_info(&pf->pdev->dev, "PF reset: %u VFs rebuilt (the others, if any, by the service task)\n",
		 n);
}

/* The VFs the device reset by an FLR (theirs or the PF's): rebuild their PF side.
 * Returns how many there were.
 */
unsigned int simnic_pf_handle_vflr(struct simnic_pf *pf)
{
	unsigned int n = 0;
	u16 i;

	mutex_lock(&pf->lock);
	/* while the card is away or the PF down for a reload the latches wait: the
	 * rebuild after either consumes them
	 */
	for (i = 0; i < pf->num_vfs && !pf->in_service && !pf->reloading; i++) {
		if (!simnic_hw_pf_vflr_test_and_clear(pf->fn, i))
			continue;
		dev_info(&pf->pdev->dev, "VF %u: function-level reset\n", i);
		simnic_pf_reset_vf(&pf->vfs[i], SIMNIC_PF_RESET_VFLR);
		n++;
	}
	mutex_unlock(&pf->lock);
	return n;
}

static int simnic_pf_sriov_enable(struct simnic_pf *pf, u16 num_vfs)
{
	struct devlink *devlink = priv_to_devlink(pf);
	struct simnic_pf_vf *vfs;
	int err;
	u16 i;

	vfs = kcalloc(num_vfs, sizeof(*vfs), GFP_KERNEL);
	if (!vfs)
		return -ENOMEM;

	/* an operation boundary: no work queued before is about these VFs */
	devl_lock(devlink);
	simnic_pf_wq_bump(pf);
	/* until the VFs are enabled, with the devlink lock released in between, no
	 * eswitch mode change (the block guard)
	 */
	err = simnic_pf_eswitch_block(pf);
	if (err)
		goto err_unlock_devlink;
	mutex_lock(&pf->lock);
	/* Disabling is fine while the card is away; VFs cannot be set up then. Under
	 * the lock that servicing takes to start, so that it cannot start in between.
	 */
	if (simnic_pf_busy(pf)) {
		mutex_unlock(&pf->lock);
		err = -EBUSY;
		goto err_unblock;
	}
	for (i = 0; i < num_vfs; i++) {
		vfs[i].pf = pf;
		vfs[i].id = i;
		vfs[i].fn = simnic_hw_pf_vf_fn(pf->fn, i);
		vfs[i].num_qps = clamp_t(unsigned int, vf_queues, 1, SIMNIC_MAX_QUEUES);
		vfs[i].spoofchk = true;
		vfs[i].link_state = IFLA_VF_LINK_STATE_AUTO;
		vfs[i].faults.reject_status = VIRTCHNL_STATUS_ERR_PARAM;
		INIT_LIST_HEAD(&vfs[i].delayed);
		INIT_LIST_HEAD(&vfs[i].held);
		INIT_DELAYED_WORK(&vfs[i].reply_work, simnic_pf_reply_work);
		eth_random_addr(vfs[i].mac);
		simnic_pf_reset_vf(&vfs[i], 0);
		simnic_pf_dbg_vf_add(&vfs[i]);
	}
	pf->vfs = vfs;
	pf->num_vfs = num_vfs;
	mutex_unlock(&pf->lock);
	devl_unlock(devlink);

	/* Not under pf->lock nor the devlink lock: VF drivers probe from here and talk
	 * to us, and the resets they ask for are finished from the work queue
	 */
	err = simnic_pf_fail_step(SIMNIC_PF_STEP_SRIOV) ?: pci_enable_sriov(pf->pdev, num_vfs);
	/* the guard is not reentrant: released before the disable takes it again.
	 * The representors of the new VFs come from the work queue.
	 */
	devl_lock(devlink);
	simnic_pf_eswitch_unblock(pf);
	devl_unlock(devlink);
	if (err) {
		dev_err(&pf->pdev->dev, "cannot enable %u VFs: %d\n", num_vfs, err);
		simnic_pf_sriov_disable(pf);
		return err;
	}
	dev_info(&pf->pdev->dev, "%u VFs enabled\n", num_vfs);
	return 0;

err_unblock:
	simnic_pf_eswitch_unblock(pf);
err_unlock_devlink:
	devl_unlock(devlink);
	kfree(vfs);
	return err;
}

void simnic_pf_sriov_disable(struct simnic_pf *pf)
{
	struct devlink *devlink = priv_to_devlink(pf);
	struct simnic_pf_vf *vfs;
	u16 i, num_vfs;
	bool blocked;

	/* The representors go before the VFs they stand for, and no mode change may
	 * bring them back until the VFs are gone (the block guard)
	 */
	devl_lock(devlink);
	blocked = !simnic_pf_eswitch_block(pf);
	simnic_pf_eswitch_vfs_gone(pf);
	devl_unlock(devlink);

	/* VF drivers unbind in here and may still send their last messages, whose
	 * work may run until the bump below
	 */
	if (pci_num_vf(pf->pdev))
		pci_disable_sriov(pf->pdev);

	/* an operation boundary: work queued for these VFs is stale from here */
	devl_lock(devlink);
	simnic_pf_wq_bump(pf);
	mutex_lock(&pf->lock);
	vfs = pf->vfs;
	num_vfs = pf->num_vfs;
	for (i = 0; i < num_vfs; i++) {
		simnic_hw_pf_reset_vf(pf->fn, i);
		simnic_hw_pf_clear_filters(pf->fn, vfs[i].fn);
		simnic_hw_pf_set_port_vlan(pf->fn, vfs[i].fn, 0, 0);
		simnic_hw_pf_set_spoofchk(pf->fn, vfs[i].fn, false);
		simnic_hw_pf_set_tx_rate(pf->fn, vfs[i].fn, 0);
	}
	pf->vfs = NULL;
	pf->num_vfs = 0;
	mutex_unlock(&pf->lock);
	if (blocked)
		simnic_pf_eswitch_unblock(pf);
	devl_unlock(devlink);

	/* Nothing can reach the VFs any more: debugfs and delayed replies go */
	for (i = 0; i < num_vfs; i++) {
		debugfs_remove_recursive(vfs[i].dbg);
		cancel_delayed_work_sync(&vfs[i].reply_work);
		simnic_pf_replies_free(&vfs[i]);
	}
	kfree(vfs);
}

/* sriov_numvfs: only 0 -> N and N -> 0, as the PCI core and netdevsim expect */
int simnic_pf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct simnic_pf *pf = pci_get_drvdata(pdev);
	int err;

	if (!num_vfs) {
		if (pci_vfs_assigned(pdev)) {
			dev_err(&pdev->dev, "VFs are assigned to guests: not disabling\n");
			return -EPERM;
		}
		simnic_pf_sriov_disable(pf);
		simnic_pf_wq_queue(pf, SIMNIC_PF_WORK_VFS_CHANGED, 0);
		return 0;
	}
	if (pci_num_vf(pdev)) {
		dev_err(&pdev->dev, "%d VFs already enabled: write 0 first\n",
			pci_num_vf(pdev));
		return -EBUSY;
	}
	err = simnic_pf_sriov_enable(pf, num_vfs);
	if (err)
		return err;
	simnic_pf_wq_queue(pf, SIMNIC_PF_WORK_VFS_CHANGED, num_vfs);
	return num_vfs;
}

int simnic_pf_get_vf_config(struct net_device *netdev, int vf_id,
			    struct ifla_vf_info *ivi)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	int err = 0;

	mutex_lock(&pf->lock);
	if (vf_id < 0 || vf_id >= pf->num_vfs) {
		err = -EINVAL;
		goto out_unlock;
	}
	ivi->vf = vf_id;
	ether_addr_copy(ivi->mac, pf->vfs[vf_id].mac);
	ivi->linkstate = pf->vfs[vf_id].link_state;
	ivi->spoofchk = pf->vfs[vf_id].spoofchk;
	ivi->trusted = pf->vfs[vf_id].trusted;
	ivi->vlan = pf->vfs[vf_id].port_vlan;
	ivi->qos = pf->vfs[vf_id].port_qos;
	ivi->min_tx_rate = pf->vfs[vf_id].min_tx_rate;
	ivi->max_tx_rate = pf->vfs[vf_id].max_tx_rate;
	ivi->vlan_proto = htons(ETH_P_8021Q);
out_unlock:
	mutex_unlock(&pf->lock);
	return err;
}

/* The VF @vf_id with pf->lock held, or an ERR_PTR (and the lock not held): -EINVAL
 * for no such VF, -EBUSY while the card is being serviced
 */
static struct simnic_pf_vf *simnic_pf_vf_lock(struct simnic_pf *pf, int vf_id)
{
	int err = -EBUSY;

	mutex_lock(&pf->lock);
	if (simnic_pf_busy(pf))
		goto err_unlock;
	if (vf_id >= 0 && vf_id < pf->num_vfs)
		return &pf->vfs[vf_id];
	netdev_err(pf->netdev, "VF %d does not exist (%u VFs)\n", vf_id, pf->num_vfs);
	err = -EINVAL;
err_unlock:
	mutex_unlock(&pf->lock);
	return ERR_PTR(err);
}

/* Trust changes the VF's limits: reset it so it renegotiates them, as ice does. In
 * switchdev mode there are no limits to lift, and ice refuses trust altogether.
 */
int simnic_pf_set_vf_trust(struct net_device *netdev, int vf_id, bool trusted)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_pf_vf *vf;

	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (pf->switchdev) {
		netdev_err(netdev, "VF %d: trust is forbidden in switchdev mode (the representor is the policy)\n",
			   vf_id);
		mutex_unlock(&pf->lock);
		return -EOPNOTSUPP;
	}
	if (vf->trusted != trusted) {
		vf->trusted = trusted;
		dev_info(&pf->pdev->dev, "VF %u is now %strusted\n", vf->id,
			 trusted ? "" : "un");
		simnic_pf_trigger_vf_reset(vf);
	}
	mutex_unlock(&pf->lock);
	return 0;
}

/* A setting of the legacy policy made in switchdev mode */
static void simnic_pf_vf_policy_kept(struct simnic_pf_vf *vf, const char *what)
{
	lockdep_assert_held(&vf->pf->lock);
	dev_info(&vf->pf->pdev->dev, "VF %u: %s kept for legacy mode: in switchdev mode the representor is the policy\n",
		 vf->id, what);
}

int simnic_pf_set_vf_spoofchk(struct net_device *netdev, int vf_id, bool on)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_pf_vf *vf;

	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	vf->spoofchk = on;
	if (pf->switchdev)
		simnic_pf_vf_policy_kept(vf, "spoofchk");
	else
		simnic_hw_pf_set_spoofchk(pf->fn, vf->fn, on);
	mutex_unlock(&pf->lock);
	return 0;
}

/* Port VLAN: the switch tags and untags for the VF, which is reset to learn that its
 * own VLAN filters are off
 */
int simnic_pf_set_vf_vlan(struct net_device *netdev, int vf_id, u16 vid, u8 qos,
			  __be16 proto)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_pf_vf *vf;

	if (vid >= VLAN_N_VID - 1 || qos > 7) {
		netdev_err(netdev, "VF %d: vlan %u qos %u: VLAN must be 0-4094, qos 0-7\n",
			   vf_id, vid, qos);
		return -EINVAL;
	}
	if (proto != htons(ETH_P_8021Q)) {
		netdev_err(netdev, "VF %d: only 802.1Q port VLANs are supported\n", vf_id);
		return -EPROTONOSUPPORT;
	}
	if (qos && !vid) {
		netdev_err(netdev, "VF %d: qos %u needs a port VLAN\n", vf_id, qos);
		return -EINVAL;
	}
	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (pf->switchdev) {
		vf->port_vlan = vid;
		vf->port_qos = qos;
		simnic_pf_vf_policy_kept(vf, "port VLAN");
	} else if (vf->port_vlan != vid) {
		vf->port_vlan = vid;
		vf->port_qos = qos;
		simnic_pf_trigger_vf_reset(vf);
	} else if (vf->port_qos != qos) {
		/* the priority alone: the switch's tag changes, the VF sees nothing */
		vf->port_qos = qos;
		simnic_hw_pf_set_port_vlan(pf->fn, vf->fn, vid, qos);
	}
	mutex_unlock(&pf->lock);
	return 0;
}

/* The link the VF sees: the PF's (auto), or the one the host forced */
bool simnic_pf_vf_link_up(const struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	switch (vf->link_state) {
	case IFLA_VF_LINK_STATE_ENABLE:
		return true;
	case IFLA_VF_LINK_STATE_DISABLE:
		return false;
	default:
		return vf->pf->link_up;
	}
}

/* ip link set PF vf N state auto|enable|disable: the VF hears of it at once */
int simnic_pf_set_vf_link_state(struct net_device *netdev, int vf_id, int state)
{
	static const char * const names[] = {
		[IFLA_VF_LINK_STATE_AUTO] = "auto",
		[IFLA_VF_LINK_STATE_ENABLE] = "enable",
		[IFLA_VF_LINK_STATE_DISABLE] = "disable",
	};
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_pf_vf *vf;

	if (state < IFLA_VF_LINK_STATE_AUTO || state > IFLA_VF_LINK_STATE_DISABLE) {
		netdev_err(netdev, "VF %d: link state %d: must be auto, enable or disable\n",
			   vf_id, state);
		return -EINVAL;
	}
	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (vf->link_state != state) {
		vf->link_state = state;
		dev_info(&pf->pdev->dev, "VF %u link state %s\n", vf->id, names[state]);
		simnic_pf_notify_link(vf);
	}
	mutex_unlock(&pf->lock);
	return 0;
}

/* ip link set PF vf N mac M: the VF takes it through a reset. 00:00:00:00:00:00 gives
 * the VF a random MAC again; multicast is refused.
 */
int simnic_pf_set_vf_mac(struct net_device *netdev, int vf_id, u8 *mac)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_pf_vf *vf;

	if (is_multicast_ether_addr(mac)) {
		netdev_err(netdev, "VF %d: %pM is a multicast address\n", vf_id, mac);
		return -EINVAL;
	}
	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	vf->admin_mac = !is_zero_ether_addr(mac);
	if (vf->admin_mac)
		ether_addr_copy(vf->mac, mac);
	else
		eth_random_addr(vf->mac);
	dev_info(&pf->pdev->dev, "VF %u MAC %pM%s\n", vf->id, vf->mac,
		 vf->admin_mac ? "" : " (random)");
	simnic_pf_trigger_vf_reset(vf);
	mutex_unlock(&pf->lock);
	return 0;
}

/* ip link set PF vf N min_tx_rate A max_tx_rate B (Mb/s): the switch enforces the
 * maximum; the minimum (a guarantee) must fit the link and the maximum
 */
int simnic_pf_set_vf_rate(struct net_device *netdev, int vf_id, int min_tx_rate,
			  int max_tx_rate)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	u32 speed = simnic_hw_link_speed_mbps(pf->fn);
	struct simnic_pf_vf *vf;
	int err;

	if (min_tx_rate < 0 || max_tx_rate < 0 || max_tx_rate > speed ||
	    min_tx_rate > speed) {
		netdev_err(netdev, "VF %d: rates %d/%d Mb/s: the link is %u Mb/s\n", vf_id,
			   min_tx_rate, max_tx_rate, speed);
		return -EINVAL;
	}
	if (max_tx_rate && min_tx_rate > max_tx_rate) {
		netdev_err(netdev, "VF %d: min_tx_rate %d above max_tx_rate %d\n", vf_id,
			   min_tx_rate, max_tx_rate);
		return -EINVAL;
	}
	vf = simnic_pf_vf_lock(pf, vf_id);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	err = simnic_hw_pf_set_tx_rate(pf->fn, vf->fn, max_tx_rate);
	if (!err) {
		vf->min_tx_rate = min_tx_rate;
		vf->max_tx_rate = max_tx_rate;
	}
	mutex_unlock(&pf->lock);
	return err;
}

/* ip -s link show PF: what the switch counted for the VF */
int simnic_pf_get_vf_stats(struct net_device *netdev, int vf_id,
			   struct ifla_vf_stats *stats)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	struct simnic_hw_fn_stats hw;
	int err = 0;

	mutex_lock(&pf->lock);
	if (vf_id < 0 || vf_id >= pf->num_vfs) {
		err = -EINVAL;
		goto out_unlock;
	}
	simnic_hw_fn_stats(pf->vfs[vf_id].fn, &hw);
	stats->rx_packets = hw.rx_packets;
	stats->rx_bytes = hw.rx_bytes;
	stats->rx_dropped = hw.rx_dropped + hw.rx_vlan_filtered;
	stats->tx_packets = hw.tx_packets;
	stats->tx_bytes = hw.tx_bytes;
	stats->tx_dropped = hw.tx_dropped + hw.tx_spoofed;
	stats->broadcast = hw.rx_broadcast;
	stats->multicast = hw.rx_multicast;
out_unlock:
	mutex_unlock(&pf->lock);
	return err;
}
