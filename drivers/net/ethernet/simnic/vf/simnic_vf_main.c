// SPDX-License-Identifier: GPL-2.0
/* simnic_vf: PCI driver of simnic VFs. Probe returns at once; the watchdog walks the
 * init states (as iavf's does) and then sends the requests the driver queued, one at
 * a time; the admin queue task takes the PF's replies from the mailbox.
 */
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <simnic/simnic_version.h>
#include "simnic_vf.h"

struct workqueue_struct *simnic_vf_wq;

unsigned int simnic_vf_op_timeout_ms = 5000;

unsigned int simnic_vf_recovery_timeout_ms = 30000;
u32 simnic_vf_fail_probe;

#define SIMNIC_VF_MSG_DEFAULT	(NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK)
static int debug = -1;
module_param(debug, int, 0444);
MODULE_PARM_DESC(debug, "netif message level (NETIF_MSG_* bits; -1: drv, probe and link), per VF with ethtool -s DEV msglvl");

/* -EIO, once, if the fault injection asks for @step to fail */
int simnic_vf_inject(enum simnic_vf_probe_step step)
{
	if (cmpxchg(&simnic_vf_fail_probe, step, SIMNIC_VF_PROBE_OK) != step)
		return 0;
	pr_info("simnic_vf: fault injection: probe step %d fails\n", step);
	return -EIO;
}

u32 simnic_vf_fail_register;
u32 simnic_vf_fail_queues;

/**
 * simnic_vf_inject_count - -ENOMEM while a debugfs count of failures to inject is
 * not 0, which it counts down
 * @knob: fail_register or fail_queues
 * @what: the step that fails, for the log
 */
int simnic_vf_inject_count(u32 *knob, const char *what)
{
	u32 n = READ_ONCE(*knob), old;

	while (n) {
		old = cmpxchg(knob, n, n - 1);
		if (old == n) {
			pr_info("simnic_vf: fault injection: %s fails\n", what);
			return -ENOMEM;
		}
		n = old;
	}
	return 0;
}

/* A time in ms within [min, max], refused with a message a user can act on */
static int simnic_vf_param_ms(const char *val, const struct kernel_param *kp,
			      unsigned int min, unsigned int max)
{
	unsigned int ms;
	int err;

	err = kstrtouint(val, 0, &ms);
	if (err || ms < min || ms > max) {
		pr_err("simnic_vf: %s must be %u to %u (ms), not '%s'\n", kp->name, min,
		       max, val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = ms;
	return 0;
}

static int simnic_vf_op_timeout_set(const char *val, const struct kernel_param *kp)
{
	return simnic_vf_param_ms(val, kp, 100, 60000);
}

static const struct kernel_param_ops simnic_vf_op_timeout_ops = {
	.set = simnic_vf_op_timeout_set,
	.get = param_get_uint,
};

module_param_cb(op_timeout_ms, &simnic_vf_op_timeout_ops, &simnic_vf_op_timeout_ms, 0444);
MODULE_PARM_DESC(op_timeout_ms, "How long to wait for the PF's reply, in ms (100-60000, default 5000)");

static int simnic_vf_recovery_timeout_set(const char *val, const struct kernel_param *kp)
{
	return simnic_vf_param_ms(val, kp, 1000, 3600000);
}

static const struct kernel_param_ops simnic_vf_recovery_timeout_ops = {
	.set = simnic_vf_recovery_timeout_set,
	.get = param_get_uint,
};

module_param_cb(recovery_timeout_ms, &simnic_vf_recovery_timeout_ops,
		&simnic_vf_recovery_timeout_ms, 0444);
MODULE_PARM_DESC(recovery_timeout_ms, "Report a recovery from reset failed after this long, in ms (1000-3600000, default 30000); it goes on trying");

/* Run the watchdog now (a request was queued, or a reply came) */
void simnic_vf_kick(struct simnic_vf *vf)
{
	mod_delayed_work(simnic_vf_wq, &vf->watchdog, 0);
}

/* The hardware reset us (FLR, or the PF did): whatever the PF knew of us is gone, and
 * so is whatever we had in flight. Quiesce the data path and negotiate again; the
 * watchdog rebuilds once the PF marks us active.
 */
static void simnic_vf_reset_begin(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);

	vf->rst.reset_seen = simnic_hw_vf_reset_count(vf->fn);
	vf->rst.reset_requested = false;
	if (vf->state == SIMNIC_VF_REMOVING)
		return;
	vf->rst.startup_wait = SIMNIC_VF_STARTUP_WAIT_MIN;
	if (vf->registered && vf->rst.recovery != SIMNIC_VF_RECOVERING &&
	    vf->rst.recovery != SIMNIC_VF_RECOVERY_FAILED) {
		simnic_vf_recovery_stage(vf, SIMNIC_VF_RECOVERING);
		vf->rst.recovery_start = ktime_get();
	}
	simnic_vf_mbx_drain(vf, true);
	if (vf->registered)
		simnic_vf_quiesce(vf);
	vf->vc.current_op = VIRTCHNL_OP_UNKNOWN;
	vf->vc.aq_required = 0;
	vf->mac_req_sent = false;
	if (vf->mac_req_err == -EINPROGRESS) {
		vf->mac_req_err = -EAGAIN;	/* the change died with the reset */
		wake_up_all(&vf->vc.wq);
	}
	/* unknown until GET_VF_RESOURCES and the PF's next LINK_CHANGE say again */
	vf->vc.caps = 0;
	vf->link_up = false;
	vf->link_speed = SPEED_UNKNOWN;
	simnic_vf_vlan_reset(vf);
	simnic_vf_addr_reset(vf);
	vf->state = SIMNIC_VF_STARTUP;
	simnic_vf_kick(vf);
}

static bool simnic_vf_was_reset(struct simnic_vf *vf)
{
	return simnic_hw_vf_reset_count(vf->fn) != vf->rst.reset_seen;
}

static void simnic_vf_await_reset(struct simnic_vf *vf);

/* A reconfiguration event (or several) since we last looked: the function is to be
 * re-created once the PF is ready. The count, read again at every look, is what
 * says there was one, so an event that comes while we are still re-creating after
 * the last one is seen at the next look, not lost.
 */
static bool simnic_vf_check_reconfig(struct simnic_vf *vf)
{
	u32 count = simnic_hw_vf_reconfig_count(vf->fn);
	bool reset;

	lockdep_assert_held(&vf->lock);
	if (count == vf->rst.reconfig_seen)
		return false;
	vf->cnt.reconfigs += count - vf->rst.reconfig_seen;
	vf->rst.reconfig_seen = count;
	dev_info(&vf->pdev->dev, "reconfiguration event: re-creating the VF\n");
	reset = simnic_vf_was_reset(vf);
	simnic_vf_reset_begin(vf);
	if (!reset)
		simnic_vf_await_reset(vf);	/* the device is about to reset us */
	vf->rst.recreate = true;
	simnic_vf_detach(vf);
	return true;
}

/* The device reset us and we have not begun recovering from it: begin. The RESET
 * cause only wakes us; the count says whether a reset is new, so one begun already
 * (by the watchdog, the admin queue task or reset_prepare) is not begun twice.
 */
static void simnic_vf_check_reset(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);

	if (vf->state == SIMNIC_VF_REMOVING || simnic_vf_check_reconfig(vf) ||
	    !simnic_vf_was_reset(vf))
		return;
	if (vf->state != SIMNIC_VF_STARTUP)
		dev_info(&vf->pdev->dev, "reset by the PF or an FLR: recovering\n");
	simnic_vf_reset_begin(vf);
}

/* A reset is on its way (we asked the PF for it, or an FLR is about to be made): the
 * watchdog does not negotiate before the reset count says it came, or an op timeout
 * has passed
 */
static void simnic_vf_await_reset(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);

	vf->rst.reset_requested = true;
	vf->rst.reset_req_deadline = jiffies + SIMNIC_VF_OP_TIMEOUT;
}

/**
 * simnic_vf_request_reset - ask the PF to reset this VF
 * @vf: the VF
 * @why: for the log
 *
 * As iavf does, the VF stops at once and sends VIRTCHNL_OP_RESET_VF, which has no
 * reply; the watchdog then waits (an op timeout at most) for the device's reset count
 * to move before it negotiates again.
 */
void simnic_vf_request_reset(struct simnic_vf *vf, const char *why)
{
	lockdep_assert_held(&vf->lock);

	if (vf->state == SIMNIC_VF_REMOVING)
		return;
	dev_warn(&vf->pdev->dev, "%s: asking the PF to reset this VF\n", why);
	vf->cnt.self_resets++;
	simnic_vf_reset_begin(vf);
	if (simnic_hw_mbx_send(vf->fn, 0, VIRTCHNL_OP_RESET_VF, 0, NULL, 0))
		dev_warn(&vf->pdev->dev, "cannot send the reset request\n");
	simnic_vf_await_reset(vf);
}

/* No reply in time. The first time, and again once the backoff has passed, the VF
 * resets itself, which clears whatever wedged the exchange; in between it asks again,
 * so a PF that keeps failing does not get a reset storm.
 */
static void simnic_vf_op_timeout(struct simnic_vf *vf)
{
	unsigned int ms = jiffies_to_msecs(SIMNIC_VF_OP_TIMEOUT);
	u32 op = vf->vc.current_op;
	char why[64];

	lockdep_assert_held(&vf->lock);

	vf->cnt.timeouts++;
	vf->vc.current_op = VIRTCHNL_OP_UNKNOWN;
	/* healthy for as long as the backoff: start from the shortest again */
	if (time_after(jiffies, vf->rst.self_reset_after + vf->rst.self_reset_backoff))
		vf->rst.self_reset_backoff = SIMNIC_VF_BACKOFF_MIN;
	if (time_before(jiffies, vf->rst.self_reset_after)) {
		dev_warn(&vf->pdev->dev, "PF did not answer opcode %u (%s) in %u ms: asking again (no reset for %u ms more)\n",
			 op, simnic_vc_op_str(op), ms,
			 jiffies_to_msecs(vf->rst.self_reset_after - jiffies));
		if (vf->state < SIMNIC_VF_INIT_NETDEV)
			vf->state = SIMNIC_VF_STARTUP;	/* start negotiating again */
		simnic_vf_requeue(vf, op);
		return;
	}
	snprintf(why, sizeof(why), "PF did not answer opcode %u in %u ms", op, ms);
	vf->rst.self_reset_after = jiffies + vf->rst.self_reset_backoff;
	vf->rst.self_reset_backoff = min_t(unsigned long, 2 * vf->rst.self_reset_backoff,
					   SIMNIC_VF_BACKOFF_MAX);
	simnic_vf_request_reset(vf, why);
}

/* The PF is not ready for us: the wait before we look again, doubled each time */
static unsigned long simnic_vf_pf_not_ready(struct simnic_vf *vf)
{
	unsigned long wait = vf->rst.startup_wait;

	lockdep_assert_held(&vf->lock);
	vf->rst.startup_wait = min_t(unsigned long, 2 * wait, SIMNIC_VF_STARTUP_WAIT_MAX);
	if (wait < SIMNIC_VF_STARTUP_WAIT_MAX &&
	    vf->rst.startup_wait == SIMNIC_VF_STARTUP_WAIT_MAX && vf->registered)
		dev_info(&vf->pdev->dev, "the PF is not ready: looking again every %u ms\n",
			 jiffies_to_msecs(SIMNIC_VF_STARTUP_WAIT_MAX));
	return wait;
}

/* Recovering for longer than recovery_timeout_ms: say it failed, and go on trying */
static void simnic_vf_check_recovery(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	if (vf->state == SIMNIC_VF_REMOVING || vf->rst.recovery != SIMNIC_VF_RECOVERING ||
	    ktime_ms_delta(ktime_get(), vf->rst.recovery_start) < simnic_vf_recovery_timeout_ms)
		return;
	vf->cnt.recovery_failures++;
	simnic_vf_recovery_stage(vf, SIMNIC_VF_RECOVERY_FAILED);
	dev_err(&vf->pdev->dev, "recovery failed: not back %u ms after the reset; still trying\n",
		simnic_vf_recovery_timeout_ms);
}

/* Back to READY after a reset: the netdev works as before it */
static void simnic_vf_recovered(struct simnic_vf *vf)
{
	lockdep_assert_held(&vf->lock);
	vf->cnt.recoveries++;
	vf->rst.ready_reset = vf->rst.reset_seen;
	vf->state = SIMNIC_VF_READY;
	if (vf->rst.recovery != SIMNIC_VF_RECOVERING &&
	    vf->rst.recovery != SIMNIC_VF_RECOVERY_FAILED)
		return;
	vf->rst.recovery_ms = ktime_ms_delta(ktime_get(), vf->rst.recovery_start);
	dev_info(&vf->pdev->dev, "recovered in %u ms%s\n", vf->rst.recovery_ms,
		 vf->rst.recovery == SIMNIC_VF_RECOVERY_FAILED ?
		 ", after it was reported failed" : "");
	simnic_vf_recovery_stage(vf, SIMNIC_VF_RECOVERED);
}

static void simnic_vf_watchdog(struct work_struct *work)
{
	struct simnic_vf *vf = container_of(to_delayed_work(work), struct simnic_vf,
					    watchdog);
	unsigned long next = SIMNIC_VF_WATCHDOG_IDLE, hold = 0;

	mutex_lock(&vf->lock);
	vf->vlan.batch_kick = false;
	simnic_vf_check_reset(vf);
	if (vf->vc.current_op != VIRTCHNL_OP_UNKNOWN &&
	    time_after(jiffies, vf->vc.op_deadline))
		simnic_vf_op_timeout(vf);
	simnic_vf_check_recovery(vf);

	switch (vf->state) {
	case SIMNIC_VF_STARTUP:
		if (vf->rst.reset_requested && time_before(jiffies, vf->rst.reset_req_deadline)) {
			next = HZ / 10;	/* the PF has not reset us yet */
			break;
		}
		vf->rst.reset_requested = false;
		if (simnic_hw_vf_rstat(vf->fn) != SIMNIC_VFR_VFACTIVE ||
		    simnic_vf_send_version(vf)) {
			next = simnic_vf_pf_not_ready(vf);
			break;
		}
		vf->state = SIMNIC_VF_INIT_VERSION;
		vf->rst.startup_wait = SIMNIC_VF_STARTUP_WAIT_MIN;
		next = SIMNIC_VF_OP_TIMEOUT;
		break;
	case SIMNIC_VF_INIT_VERSION:
	case SIMNIC_VF_INIT_RESOURCES:
	case SIMNIC_VF_INIT_VLAN_CAPS:
		next = HZ / 10;
		break;
	case SIMNIC_VF_INIT_NETDEV:
		if (vf->registered && simnic_vf_needs_renew(vf)) {
			simnic_vf_renew(vf);	/* drops the lock: look again */
			next = 0;
			break;
		}
		if (vf->registered) {
			/* After a reset: same netdev, configuration replayed */
			simnic_vf_rebuild(vf);
			simnic_vf_recovered(vf);
			next = 0;
			break;
		}
		vf->rst.recreate = false;	/* created for the first time anyway */
		/* register_netdev() takes rtnl, which nests outside our lock */
		mutex_unlock(&vf->lock);
		if (simnic_vf_inject_count(&simnic_vf_fail_register, "the netdev registration") ?:
		    simnic_vf_netdev_register(vf)) {
			mutex_lock(&vf->lock);
			dev_err(&vf->pdev->dev, "cannot register netdev, retrying\n");
			if (vf->state == SIMNIC_VF_INIT_NETDEV)
				vf->state = SIMNIC_VF_STARTUP;
			next = HZ;
			break;
		}
		mutex_lock(&vf->lock);
		if (vf->state == SIMNIC_VF_INIT_NETDEV) {
			vf->rst.ready_reset = vf->rst.reset_seen;
			vf->state = SIMNIC_VF_READY;
		}
		next = 0;
		break;
	case SIMNIC_VF_READY:
		simnic_vf_addr_sync(vf);
		if (vf->vc.current_op == VIRTCHNL_OP_UNKNOWN)
			hold = simnic_vf_send_next(vf);
		if (vf->vc.aq_required || vf->vc.current_op != VIRTCHNL_OP_UNKNOWN)
			next = HZ / 10;
		if (hold && vf->vc.current_op == VIRTCHNL_OP_UNKNOWN)
			next = min(next, hold);
		break;
	case SIMNIC_VF_REMOVING:
		mutex_unlock(&vf->lock);
		return;
	}
	mutex_unlock(&vf->lock);
	queue_delayed_work(simnic_vf_wq, &vf->watchdog, next);
}

static void simnic_vf_adminq_task(struct work_struct *work)
{
	struct simnic_vf *vf = container_of(work, struct simnic_vf, adminq_task);
	bool any = false;

	mutex_lock(&vf->lock);
	if (vf->state == SIMNIC_VF_REMOVING) {
		mutex_unlock(&vf->lock);
		return;
	}
	simnic_hw_misc_cause(vf->fn);	/* only a wakeup: see simnic_vf_check_reset() */
	simnic_vf_check_reset(vf);
	while (!simnic_hw_mbx_recv(vf->fn, 0, vf->msg)) {
		simnic_vf_process_msg(vf, vf->msg);
		any = true;
	}
	if (any)
		simnic_vf_kick(vf);
	mutex_unlock(&vf->lock);
}

static void simnic_vf_misc_irq(void *data)
{
	struct simnic_vf *vf = data;

	queue_work(simnic_vf_wq, &vf->adminq_task);
}

static int simnic_vf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct simnic_vf *vf;
	int err;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;
	vf->pdev = pdev;
	mutex_init(&vf->lock);
	INIT_LIST_HEAD(&vf->vlan.list);
	INIT_LIST_HEAD(&vf->vlan.waiters);
	/* rxvlan and txvlan start on, as the netdev's features do */
	vf->vlan.strip_want = true;
	vf->vlan.insert_want = true;
	INIT_LIST_HEAD(&vf->addr.list);
	vf->addr.promisc_refused = U16_MAX;
	init_waitqueue_head(&vf->vc.wq);
	INIT_DELAYED_WORK(&vf->watchdog, simnic_vf_watchdog);
	INIT_WORK(&vf->adminq_task, simnic_vf_adminq_task);
	pci_set_drvdata(pdev, vf);

	vf->msg = simnic_vf_inject(SIMNIC_VF_PROBE_MSG) ? NULL :
		  kzalloc(sizeof(*vf->msg), GFP_KERNEL);
	if (!vf->msg) {
		err = -ENOMEM;
		goto err_free_vf;
	}

	err = simnic_vf_inject(SIMNIC_VF_PROBE_ENABLE) ?: pci_enable_device(pdev);
	if (err)
		goto err_free_msg;

	vf->fn = simnic_vf_inject(SIMNIC_VF_PROBE_FN) ? ERR_PTR(-EIO) :
		 simnic_hw_fn_get(pdev);
	if (IS_ERR(vf->fn)) {
		err = PTR_ERR(vf->fn);
		goto err_disable_device;
	}

	vf->msg_enable = netif_msg_init(debug, SIMNIC_VF_MSG_DEFAULT);
	vf->rx_ring_len = SIMNIC_RING_DEFAULT;
	vf->tx_ring_len = SIMNIC_RING_DEFAULT;
	vf->rst.self_reset_after = jiffies;
	vf->rst.self_reset_backoff = SIMNIC_VF_BACKOFF_MIN;
	vf->rst.startup_wait = SIMNIC_VF_STARTUP_WAIT_MIN;

	/* Resets before we came are not ours to recover from: clear what they latched,
	 * and what an earlier driver left unread in the mailbox
	 */
	vf->rst.reset_seen = simnic_hw_vf_reset_count(vf->fn);
	vf->rst.reconfig_seen = simnic_hw_vf_reconfig_count(vf->fn);
	simnic_hw_misc_cause(vf->fn);
	mutex_lock(&vf->lock);
	simnic_vf_mbx_drain(vf, false);
	mutex_unlock(&vf->lock);
	err = simnic_vf_inject(SIMNIC_VF_PROBE_DEVLINK) ?: simnic_vf_devlink_register(vf);
	if (err)
		goto err_put_fn;

	/* Last: a reset cause runs the admin queue task, which may start the watchdog */
	err = simnic_vf_inject(SIMNIC_VF_PROBE_IRQ) ?:
	      simnic_hw_request_irq(vf->fn, SIMNIC_VEC_MISC, simnic_vf_misc_irq, vf);
	if (err)
		goto err_devlink_unregister;

	simnic_vf_dbg_add(vf);
	queue_delayed_work(simnic_vf_wq, &vf->watchdog, 0);
	return 0;

err_devlink_unregister:
	simnic_vf_devlink_unregister(vf);
err_put_fn:
	simnic_hw_fn_put(vf->fn);
err_disable_device:
	pci_disable_device(pdev);
err_free_msg:
	kfree(vf->msg);
err_free_vf:
	mutex_destroy(&vf->lock);
	kfree(vf);
	return err;
}

static void simnic_vf_remove(struct pci_dev *pdev)
{
	struct simnic_vf *vf = pci_get_drvdata(pdev);

	mutex_lock(&vf->lock);
	vf->state = SIMNIC_VF_REMOVING;
	mutex_unlock(&vf->lock);
	wake_up_all(&vf->vc.wq);
	simnic_vf_dbg_del(vf);
	/* The watchdog may be registering the netdev: let it finish */
	cancel_delayed_work_sync(&vf->watchdog);

	simnic_vf_netdev_unregister(vf);
	simnic_hw_free_irq(vf->fn, SIMNIC_VEC_MISC);
	cancel_work_sync(&vf->adminq_task);
	cancel_delayed_work_sync(&vf->watchdog);
	simnic_vf_devlink_unregister(vf);

	/* Ask the PF to reset us, so nothing of ours stays in the switch */
	simnic_hw_mbx_send(vf->fn, 0, VIRTCHNL_OP_RESET_VF, 0, NULL, 0);

	simnic_vf_vlan_free_all(vf);
	simnic_vf_addr_free_all(vf);
	simnic_hw_fn_put(vf->fn);
	pci_disable_device(pdev);
	kfree(vf->msg);
	mutex_destroy(&vf->lock);
	kfree(vf);
}

/* FLR through sysfs: stop the data path before the function goes; the reset itself
 * is noticed (reset count, RESET cause) and recovered from by the watchdog.
 */
static void simnic_vf_pci_reset_prepare(struct pci_dev *pdev)
{
	struct simnic_vf *vf = pci_get_drvdata(pdev);

	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_STARTUP && vf->state != SIMNIC_VF_REMOVING)
		dev_info(&pdev->dev, "function-level reset: recovering\n");
	simnic_vf_reset_begin(vf);
	simnic_vf_await_reset(vf);	/* the FLR itself is yet to come */
	mutex_unlock(&vf->lock);
}

static void simnic_vf_pci_reset_done(struct pci_dev *pdev)
{
	struct simnic_vf *vf = pci_get_drvdata(pdev);

	simnic_vf_kick(vf);
}

static const struct pci_error_handlers simnic_vf_err_handlers = {
	.reset_prepare = simnic_vf_pci_reset_prepare,
	.reset_done = simnic_vf_pci_reset_done,
};

static const struct pci_device_id simnic_vf_ids[] = {
	{ PCI_DEVICE(SIMNIC_PCI_VENDOR_ID, SIMNIC_VF_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, simnic_vf_ids);

static struct pci_driver simnic_vf_driver = {
	.name = SIMNIC_VF_DRV_NAME,
	.id_table = simnic_vf_ids,
	.probe = simnic_vf_probe,
	.remove = simnic_vf_remove,
	.err_handler = &simnic_vf_err_handlers,
};

static int __init simnic_vf_init(void)
{
	int err;

	simnic_vf_wq = alloc_workqueue("%s", WQ_UNBOUND, 0, SIMNIC_VF_DRV_NAME);
	if (!simnic_vf_wq)
		return -ENOMEM;
	simnic_vf_dbg_register();
	err = pci_register_driver(&simnic_vf_driver);
	if (err) {
		simnic_vf_dbg_unregister();
		destroy_workqueue(simnic_vf_wq);
	}
	return err;
}

static void __exit simnic_vf_exit(void)
{
	pci_unregister_driver(&simnic_vf_driver);
	simnic_vf_dbg_unregister();
	destroy_workqueue(simnic_vf_wq);
}

module_init(simnic_vf_init);
module_exit(simnic_vf_exit);
MODULE_DESCRIPTION("simnic VF driver");
MODULE_VERSION(SIMNIC_VERSION);
MODULE_LICENSE("GPL");
SIMNIC_HW_IMPORT();
