// SPDX-License-Identifier: GPL-2.0
/* The PF reset while its VFs stay enabled, in two flavours that share one path:
 *
 * Servicing of the card (a firmware update, as MANA's service events): when the card
 * goes away the PF quiesces itself and its VFs' PF side; when it is back, blank, the
 * PF programs itself again and rebuilds every VF, which then renegotiates.
 *
 * devlink reload (action driver_reinit): the same, asked for by the user. The PF
 * resets its VFs itself (announced), stops its queue, its misc vector and with it the
 * service task (the VFs' mailboxes), and makes the work queued so far stale; then
 * builds it all again. The PF netdev, the uplink port and the representors are
 * removed and made again around this (simnic_pf_devlink.c).
 */
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include "simnic_pf.h"

/* The PF's side of every VF is forgotten until simnic_pf_vfs_rebuild() */
static void simnic_pf_vfs_quiesce(struct simnic_pf *pf)
{
	u16 i;

	lockdep_assert_held(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++) {
		pf->vfs[i].state = SIMNIC_PF_VF_STATE_RESET;
		simnic_pf_vc_allowlist_set(&pf->vfs[i]);
		simnic_pf_replies_on_reset(&pf->vfs[i]);
	}
}

/* The device has reset every VF (servicing, or the reload's own resets): an FLR
 * latched meanwhile is the same reset
 */
static void simnic_pf_vfs_rebuild(struct simnic_pf *pf)
{
	u16 i;

	lockdep_assert_held(&pf->lock);
	pf->link_up = simnic_hw_link_up(pf->fn);
	for (i = 0; i < pf->num_vfs; i++) {
		simnic_hw_pf_vflr_test_and_clear(pf->fn, i);
		simnic_pf_reset_vf(&pf->vfs[i], SIMNIC_PF_RESET_VFLR);
	}
}

/* The PF's own function programmed again: its MAC, and its queue if it is up */
static void simnic_pf_fn_rebuild(struct simnic_pf *pf, const char *why)
{
	ASSERT_RTNL();
	if (simnic_hw_pf_set_mac_filter(pf->fn, pf->fn, pf->netdev->dev_addr, true))
		dev_warn(&pf->pdev->dev, "cannot program the PF's MAC after %s\n", why);
	if (netif_running(pf->netdev))
		simnic_pf_queue_start(pf);
}

static void simnic_pf_service_quiesce(struct simnic_pf *pf)
{
	rtnl_lock();
	if (netif_running(pf->netdev)) {
		netif_tx_disable(pf->netdev);
		netif_carrier_off(pf->netdev);
	}
	rtnl_unlock();

	mutex_lock(&pf->lock);
	if (!pf->in_service) {
		pf->in_service = true;
		pf->service_start = jiffies;
		simnic_pf_vfs_quiesce(pf);
	}
	dev_warn(&pf->pdev->dev, "device servicing: PF and %u VFs quiesced until it is back\n",
		 pf->num_vfs);
	mutex_unlock(&pf->lock);
}

static void simnic_pf_service_rebuild(struct simnic_pf *pf)
{
	unsigned int ms;

	rtnl_lock();
	simnic_pf_fn_rebuild(pf, "servicing");
	rtnl_unlock();

	mutex_lock(&pf->lock);
	pf->in_service = false;
	simnic_pf_vfs_rebuild(pf);
	ms = jiffies_to_msecs(jiffies - pf->service_start);
	dev_info(&pf->pdev->dev, "device back after %u ms: PF and %u VFs rebuilt\n", ms,
		 pf->num_vfs);
	mutex_unlock(&pf->lock);
}

/**
 * simnic_pf_service_check - follow the card's servicing
 * @pf: the PF
 *
 * Called by the service task at every run: the service count says whether a
 * servicing began since the last look (even one that has ended already), readiness
 * whether it is over.
 */
void simnic_pf_service_check(struct simnic_pf *pf)
{
	u32 count = simnic_hw_service_count(pf->fn);

	if (count != pf->service_seen) {
		pf->service_seen = count;
		simnic_pf_service_quiesce(pf);
	}
	if (READ_ONCE(pf->in_service) && simnic_hw_ready(pf->fn))
		simnic_pf_service_rebuild(pf);
}

/* What the administrator asked for must wait until the card is back, or the reload
 * is done
 */
bool simnic_pf_busy(struct simnic_pf *pf)
{
	lockdep_assert_held(&pf->lock);
	if (pf->in_service) {
		dev_err(&pf->pdev->dev, "the device is being serviced: try again when it is back\n");
		return true;
	}
	if (pf->reloading) {
		dev_err(&pf->pdev->dev, "the PF is down for a devlink reload: try again when it is done (or reload again if it failed)\n");
		return true;
	}
	return false;
}

/**
 * simnic_pf_reload_down - devlink reload, first half: the PF's function goes down
 * @pf: the PF, its devlink instance locked
 * @extack: for the reason of a refusal
 *
 * What goes down is the function's state: the PF's queue (transmit stopped, the
 * queue disabled, its MAC filter cleared), the misc vector and the service task (so
 * the VFs' mailboxes and FLRs wait, their causes latched in the device), the work
 * queued so far (a generation bump), and every VF, which the PF announces
 * (RESET_IMPENDING) and has the device reset: its driver sees the reset, quiesces and
 * waits for the reset status to read active again, which simnic_pf_reload_up() does.
 * The VFs stay enabled.
 *
 * The PF netdev, the uplink port and the representors go after this, and come back
 * before simnic_pf_reload_up() (simnic_pf_devlink.c). Administrative requests that
 * would reset a VF (enabling VFs, reset_vfs) are refused with -EBUSY meanwhile, as
 * during servicing; the devlink lock keeps eswitch mode changes out.
 *
 * Refused with -EBUSY while the card is serviced (servicing is the same rebuild,
 * already under way) or while VFs are enabled or disabled (the block guard: SR-IOV
 * is changing with the devlink lock released).
 *
 * Locking: the devlink lock, then rtnl, then pf->lock, as everywhere. The work
 * queue is not flushed: a worker waiting for the devlink lock (devl_trylock() in
 * slices) with an item queued before the bump sees its generation stale, at once
 * as the bump wakes it, and drops the item; one whose item was queued after the
 * bump (sriov_configure queues SIMNIC_PF_WORK_VFS_CHANGED without the devlink lock)
 * waits in its trylock loop until the reload returns the lock, then runs against
 * the rebuilt PF. Flushing here, with the lock held, would wait for that worker
 * for ever. The reload waits for no worker, so no worker can deadlock it.
 */
int simnic_pf_reload_down(struct simnic_pf *pf, struct netlink_ext_ack *extack)
{
	u16 i;

	devl_assert_locked(priv_to_devlink(pf));
	if (pf->eswitch_blocked) {
		NL_SET_ERR_MSG_MOD(extack, "VFs are being enabled or disabled: try again");
		return -EBUSY;
	}

	rtnl_lock();
	mutex_lock(&pf->lock);
	if (pf->in_service) {
		mutex_unlock(&pf->lock);
		rtnl_unlock();
		NL_SET_ERR_MSG_MOD(extack, "the device is being serviced: try again later");
		return -EBUSY;
	}
	/* from here the service task steps aside, and ndo_open leaves the queue alone */
	WRITE_ONCE(pf->reloading, true);
	pf->reload_start = jiffies;
	mutex_unlock(&pf->lock);
	/* no netdev after a reload that failed to make it again */
	if (pf->netdev)
		simnic_pf_queue_stop(pf);
	simnic_hw_pf_clear_filters(pf->fn, pf->fn);
	rtnl_unlock();

	/* The VFs' mailboxes are not serviced until reload_up. The service task may be
	 * running (from before the flag): wait for it; a run it or the mailbox watch
	 * starts from now on returns at once.
	 */
	simnic_hw_free_irq(pf->fn, SIMNIC_VEC_MISC);
	cancel_work_sync(&pf->service_task);
	cancel_delayed_work_sync(&pf->mbx_watch);

	/* an operation boundary: work queued before it is about a PF that is gone */
	simnic_pf_wq_bump(pf);

	mutex_lock(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++) {
		simnic_pf_notify_reset(&pf->vfs[i]);
		simnic_hw_pf_reset_vf(pf->fn, i);
	}
	simnic_pf_vfs_quiesce(pf);
	dev_info(&pf->pdev->dev, "devlink reload: PF and %u VFs down\n", pf->num_vfs);
	mutex_unlock(&pf->lock);
	return 0;
}

/**
 * simnic_pf_reload_up - devlink reload, second half: the PF's function comes back
 * @pf: the PF, its devlink instance locked, down by simnic_pf_reload_down()
 * @extack: for the reason of a failure
 *
 * The misc vector first (without it nothing would hear the VFs): if it cannot be had,
 * the PF stays down and the reload fails; another reload tries again. Then the PF is
 * programmed again and every VF rebuilt, as after servicing, and the service task
 * runs once for whatever the device latched meanwhile (mailbox messages, FLRs, the
 * link). If a servicing began while the reload had the service task stopped, the
 * rebuild is the servicing's, when the card is back.
 */
int simnic_pf_reload_up(struct simnic_pf *pf, struct netlink_ext_ack *extack)
{
	bool serviced;
	int err;

	devl_assert_locked(priv_to_devlink(pf));
	err = simnic_pf_fail_step(SIMNIC_PF_STEP_MISC_VECTOR) ?:
	      simnic_hw_request_irq(pf->fn, SIMNIC_VEC_MISC, simnic_pf_misc_irq, pf);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot get the misc vector: the PF stays down");
		dev_err(&pf->pdev->dev, "devlink reload: no misc vector (%d): the PF stays down\n",
			err);
		return err;
	}

	rtnl_lock();
	mutex_lock(&pf->lock);
	/* the service task is stopped: service_seen is ours to read */
	serviced = pf->in_service || !simnic_hw_ready(pf->fn) ||
		   simnic_hw_service_count(pf->fn) != pf->service_seen;
	if (serviced) {
		/* the VFs stay quiesced; the service task takes it from here */
		if (!pf->in_service) {
			pf->in_service = true;
			pf->service_start = jiffies;
		}
		dev_warn(&pf->pdev->dev, "devlink reload: the device is being serviced: the PF and its VFs come back with it\n");
	} else {
		/* in the same hold as the flag: no ndo_set_vf_* reset comes in between */
		simnic_pf_vfs_rebuild(pf);
		dev_info(&pf->pdev->dev, "devlink reload: PF and %u VFs back after %u ms\n",
			 pf->num_vfs, jiffies_to_msecs(jiffies - pf->reload_start));
	}
	WRITE_ONCE(pf->reloading, false);
	mutex_unlock(&pf->lock);
	if (!serviced)
		simnic_pf_fn_rebuild(pf, "the reload");
	rtnl_unlock();

	queue_work(system_wq, &pf->service_task);
	return 0;
}
