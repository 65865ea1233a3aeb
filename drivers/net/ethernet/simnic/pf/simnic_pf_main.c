// SPDX-License-Identifier: GPL-2.0
/* simnic_pf: PCI driver of the simnic PF */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "simnic_pf.h"

u32 simnic_pf_fail_probe;

/* -EIO, once, if the fault injection asks for @step to fail */
int simnic_pf_inject(enum simnic_pf_probe_step step)
{
	if (cmpxchg(&simnic_pf_fail_probe, step, SIMNIC_PF_PROBE_OK) != step)
		return 0;
	pr_info("simnic_pf: fault injection: probe step %d fails\n", step);
	return -EIO;
}

static const char * const simnic_pf_step_names[] = {
	[SIMNIC_PF_STEP_NONE] = "none",
	[SIMNIC_PF_STEP_SRIOV] = "sriov",
	[SIMNIC_PF_STEP_REPR] = "repr",
	[SIMNIC_PF_STEP_SWITCHDEV] = "switchdev",
	[SIMNIC_PF_STEP_UPLINK] = "uplink",
	[SIMNIC_PF_STEP_MISC_VECTOR] = "misc_vector",
};

static_assert(ARRAY_SIZE(simnic_pf_step_names) == SIMNIC_PF_STEP_NUM);

/* simnic_pf_fail_lock protects simnic_pf_fail: the step armed, the calls of it that
 * pass before the first that fails, and the calls left to fail
 */
static DEFINE_SPINLOCK(simnic_pf_fail_lock);
static struct {
	enum simnic_pf_step step;
	u32 skip;
	u32 count;
} simnic_pf_fail;

/**
 * simnic_pf_fail_step - -ENOMEM if fault injection makes this call of @step fail
 * @step: the step about to be taken
 *
 * Armed from debugfs (simnic_pf/fail_step), for tests of the operations' error paths;
 * needs no kprobe, unlike ALLOW_ERROR_INJECTION with fail_function.
 */
int simnic_pf_fail_step(enum simnic_pf_step step)
{
	bool fail = false;

	spin_lock(&simnic_pf_fail_lock);
	if (simnic_pf_fail.step == step && simnic_pf_fail.count) {
		if (simnic_pf_fail.skip) {
			simnic_pf_fail.skip--;
		} else {
			simnic_pf_fail.count--;
			fail = true;
		}
	}
	spin_unlock(&simnic_pf_fail_lock);
	if (!fail)
		return 0;
	pr_info("simnic_pf: fault injection: step %s fails\n", simnic_pf_step_names[step]);
	return -ENOMEM;
}

/**
 * simnic_pf_fail_step_set - "STEP [N [COUNT]]": the Nth call of STEP from now (1 by
 * default) and the COUNT - 1 after it fail; "none" disarms
 * @buf: the words, NUL-terminated; changed
 *
 * Return: 0, or -EINVAL for an unknown step, N or COUNT out of 1 to 1000, or more
 * words, with nothing changed.
 */
int simnic_pf_fail_step_set(char *buf)
{
	char *cur = strim(buf), *word;
	u32 n = 1, count = 1;
	int step;

	word = strsep(&cur, " \t");
	step = match_string(simnic_pf_step_names, ARRAY_SIZE(simnic_pf_step_names), word);
	if (step < 0)
		return -EINVAL;
	word = cur ? strsep(&cur, " \t") : NULL;
	if (word && (kstrtou32(word, 0, &n) || !n || n > 1000))
		return -EINVAL;
	word = cur ? strsep(&cur, " \t") : NULL;
	if ((word && (kstrtou32(word, 0, &count) || !count || count > 1000)) || cur)
		return -EINVAL;
	spin_lock(&simnic_pf_fail_lock);
	simnic_pf_fail.step = step;
	simnic_pf_fail.skip = n - 1;
	simnic_pf_fail.count = step == SIMNIC_PF_STEP_NONE ? 0 : count;
	spin_unlock(&simnic_pf_fail_lock);
	return 0;
}

/* "STEP N COUNT": what is armed, N counted from now */
void simnic_pf_fail_step_show(struct seq_file *s)
{
	u32 skip, count;
	int step;

	spin_lock(&simnic_pf_fail_lock);
	step = simnic_pf_fail.count ? simnic_pf_fail.step : SIMNIC_PF_STEP_NONE;
	skip = simnic_pf_fail.skip;
	count = simnic_pf_fail.count;
	spin_unlock(&simnic_pf_fail_lock);
	seq_printf(s, "%s %u %u\n", simnic_pf_step_names[step], count ? skip + 1 : 0, count);
}

/* The work queue goes with the devlink lock held, as the teardown rule wants it:
 * see simnic_pf_wq.c
 */
static void simnic_pf_wq_teardown(struct simnic_pf *pf)
{
	struct devlink *devlink = priv_to_devlink(pf);

	devl_lock(devlink);
	simnic_pf_wq_destroy(pf);
	devl_unlock(devlink);
}

static void simnic_pf_service_task(struct work_struct *work)
{
	struct simnic_pf *pf = container_of(work, struct simnic_pf, service_task);
	u32 cause;

	/* down for a reload: the causes stay latched, and the reload runs us after */
	if (READ_ONCE(pf->reloading))
		return;
	cause = simnic_hw_misc_cause(pf->fn);
	/* SIMNIC_CAUSE_SERVICE only wakes us: the service count tells what happened */
	simnic_pf_service_check(pf);
	if (cause & SIMNIC_CAUSE_VFLR)
		simnic_pf_handle_vflr(pf);
	if (cause & SIMNIC_CAUSE_LINK)
		simnic_pf_link_update(pf);
	simnic_pf_process_mailboxes(pf);
}

/* The misc vector: mailbox, VF FLR and link causes are all handled in the service task */
void simnic_pf_misc_irq(void *data)
{
	struct simnic_pf *pf = data;

	queue_work(system_wq, &pf->service_task);
}

static int simnic_pf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct devlink *devlink;
	struct simnic_pf *pf;
	int err;

	pf = simnic_pf_devlink_alloc(pdev);
	if (!pf)
		return -ENOMEM;
	devlink = priv_to_devlink(pf);
	pf->pdev = pdev;
	mutex_init(&pf->lock);
	INIT_WORK(&pf->service_task, simnic_pf_service_task);
	INIT_DELAYED_WORK(&pf->mbx_watch, simnic_pf_mbx_watch);
	pf->mbx_penalty_ms = SIMNIC_PF_MBX_PENALTY_MS;
	pci_set_drvdata(pdev, pf);

	pf->msg = simnic_pf_inject(SIMNIC_PF_PROBE_MSG) ? NULL :
		  kzalloc(sizeof(*pf->msg), GFP_KERNEL);
	if (!pf->msg) {
		err = -ENOMEM;
		goto err_free_pf;
	}

	err = simnic_pf_inject(SIMNIC_PF_PROBE_ENABLE) ?: pci_enable_device(pdev);
	if (err)
		goto err_free_msg;

	pf->fn = simnic_pf_inject(SIMNIC_PF_PROBE_FN) ? ERR_PTR(-EIO) :
		 simnic_hw_fn_get(pdev);
	if (IS_ERR(pf->fn)) {
		err = PTR_ERR(pf->fn);
		goto err_disable_device;
	}
	pf->service_seen = simnic_hw_service_count(pf->fn);

	simnic_pf_dbg_init(pf);
	devl_lock(devlink);
	err = simnic_pf_uplink_create(pf);
	devl_unlock(devlink);
	if (err)
		goto err_dbg_exit;

	/* Before its producers: the service task and sriov_configure */
	err = simnic_pf_wq_init(pf);
	if (err)
		goto err_destroy_uplink;

	/* Before the service task, which records the mailbox's events in it */
	err = simnic_pf_inject(SIMNIC_PF_PROBE_HEALTH) ?: simnic_pf_health_create(pf);
	if (err)
		goto err_destroy_wq;

	/* After the netdev: the service task it feeds uses it */
	err = simnic_pf_inject(SIMNIC_PF_PROBE_IRQ) ?:
	      simnic_hw_request_irq(pf->fn, SIMNIC_VEC_MISC, simnic_pf_misc_irq, pf);
	if (err)
		goto err_destroy_health;

	/* The driverinit param, then the eswitch in the mode it says (eswitch_mode) */
	err = simnic_pf_inject(SIMNIC_PF_PROBE_ESWITCH) ?:
	      simnic_pf_devlink_params_register(pf);
	if (err)
		goto err_free_irq;
	err = simnic_pf_devlink_eswitch_init(pf);
	if (err)
		goto err_params_unregister;

	/* Last: user space may use the devlink instance from here on, and the health
	 * reporter may report
	 */
	simnic_pf_devlink_register(pf);
	simnic_pf_health_start(pf);
	dev_info(&pdev->dev, "simnic PF %s, %d VFs supported\n", pf->netdev->name,
		 pci_sriov_get_totalvfs(pdev));
	return 0;

err_params_unregister:
	simnic_pf_devlink_params_unregister(pf);
err_free_irq:
	simnic_hw_free_irq(pf->fn, SIMNIC_VEC_MISC);
	cancel_delayed_work_sync(&pf->mbx_watch);
	cancel_work_sync(&pf->service_task);
err_destroy_health:
	simnic_pf_health_destroy(pf);
err_destroy_wq:
	simnic_pf_wq_teardown(pf);
err_destroy_uplink:
	devl_lock(devlink);
	simnic_pf_uplink_destroy(pf);
	devl_unlock(devlink);
err_dbg_exit:
	simnic_pf_dbg_exit(pf);
	simnic_hw_fn_put(pf->fn);
err_disable_device:
	pci_disable_device(pdev);
err_free_msg:
	kfree(pf->msg);
err_free_pf:
	mutex_destroy(&pf->lock);
	simnic_pf_devlink_free(pf);
	return err;
}

static void simnic_pf_remove(struct pci_dev *pdev)
{
	struct simnic_pf *pf = pci_get_drvdata(pdev);
	struct devlink *devlink = priv_to_devlink(pf);

	/* no report from here on: the core's notifications want a registered instance */
	simnic_pf_health_stop(pf);
	simnic_pf_devlink_unregister(pf);
	/* the representors, then the VFs, then the switch's switchdev handler */
	simnic_pf_sriov_disable(pf);
	simnic_pf_eswitch_release(pf);
	simnic_pf_devlink_params_unregister(pf);
	simnic_hw_free_irq(pf->fn, SIMNIC_VEC_MISC);
	/* no VFs left: the service task arms neither the watch nor itself again */
	cancel_delayed_work_sync(&pf->mbx_watch);
	cancel_work_sync(&pf->service_task);
	/* nothing records mailbox events any more */
	simnic_pf_health_destroy(pf);
	/* nothing queues work any more (sriov_configure cannot run in remove) */
	simnic_pf_wq_teardown(pf);
	devl_lock(devlink);
	simnic_pf_uplink_destroy(pf);
	devl_unlock(devlink);
	simnic_pf_dbg_exit(pf);
	simnic_hw_fn_put(pf->fn);
	pci_disable_device(pdev);
	kfree(pf->msg);
	mutex_destroy(&pf->lock);
	simnic_pf_devlink_free(pf);
}

static const struct pci_device_id simnic_pf_ids[] = {
	{ PCI_DEVICE(SIMNIC_PCI_VENDOR_ID, SIMNIC_PF_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, simnic_pf_ids);

static void simnic_pf_pci_reset_prepare(struct pci_dev *pdev)
{
	simnic_pf_reset_prepare(pci_get_drvdata(pdev));
}

static void simnic_pf_pci_reset_done(struct pci_dev *pdev)
{
	simnic_pf_reset_done(pci_get_drvdata(pdev));
}

static const struct pci_error_handlers simnic_pf_err_handlers = {
	.reset_prepare = simnic_pf_pci_reset_prepare,
	.reset_done = simnic_pf_pci_reset_done,
};

static struct pci_driver simnic_pf_driver = {
	.name = SIMNIC_PF_DRV_NAME,
	.id_table = simnic_pf_ids,
	.probe = simnic_pf_probe,
	.remove = simnic_pf_remove,
	.sriov_configure = simnic_pf_sriov_configure,
	.err_handler = &simnic_pf_err_handlers,
};

static int __init simnic_pf_init(void)
{
	int err;

	simnic_pf_dbg_register();
	err = pci_register_driver(&simnic_pf_driver);
	if (err)
		simnic_pf_dbg_unregister();
	return err;
}

static void __exit simnic_pf_exit(void)
{
	pci_unregister_driver(&simnic_pf_driver);
	simnic_pf_dbg_unregister();
}

module_init(simnic_pf_init);
module_exit(simnic_pf_exit);

MODULE_DESCRIPTION("simnic PF driver");
MODULE_VERSION(SIMNIC_VERSION);
MODULE_LICENSE("GPL");
SIMNIC_HW_IMPORT();
