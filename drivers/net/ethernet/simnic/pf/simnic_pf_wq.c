// SPDX-License-Identifier: GPL-2.0
/* The PF's generation-counted work queue (as mlx5's eswitch work queue, esw->wq).
 *
 * Asynchronous PF work that needs the devlink lock goes through one ordered work
 * queue and one dispatch helper, simnic_pf_wq_queue(), which gives each item the
 * generation current when it was queued. Every operation boundary that makes queued
 * work meaningless (SR-IOV enabled or disabled, devlink reload_down, the queue torn
 * down) increments the generation, with the devlink lock held, and wakes the workers
 * waiting for the lock. Lock order: the rst's lock table.
 *
 * A worker whose generation is stale frees its item and returns before it touches the
 * devlink lock. Otherwise it takes the lock with devl_trylock(), and while that fails
 * it sleeps on pf->wq_waitq for at most SIMNIC_PF_WQ_SLICE_MS, woken early by a
 * generation bump, looking again at its generation each round. With the lock, it
 * looks once more (the generation may have moved while it waited) and only then runs.
 *
 * Why not devl_lock(): the teardown, simnic_pf_wq_destroy(), runs with the devlink
 * lock held and destroys the queue, which waits for every worker. A worker blocked
 * in devl_lock() would never finish: deadlock. With the rule above, the teardown
 * bumps the generation first, so a worker waiting for the lock sees it is stale
 * within one slice (at once, as it is woken) and returns; one that has not started
 * yet returns at its first look. No worker holds the lock while the teardown does.
 * Producers are stopped before the teardown (the misc vector freed and the service
 * task cancelled: the notifiers of this driver), and the queue is marked closed under
 * the same lock as the bump, so nothing can be queued with the new generation and
 * then wait for a lock the teardown never gives back.
 */
#include <linux/slab.h>
#include <linux/wait.h>
#include "simnic_pf.h"

#define SIMNIC_PF_WQ_SLICE_MS	10

struct simnic_pf_work {
	struct work_struct work;
	struct simnic_pf *pf;
	enum simnic_pf_work_kind kind;
	u32 gen;			/* pf->wq_gen when queued */
	u32 arg;			/* what @kind is about: see enum simnic_pf_work_kind */
};

static bool simnic_pf_work_stale(const struct simnic_pf_work *w)
{
	return READ_ONCE(w->pf->wq_gen) != w->gen;
}

/* With the devlink lock held and the generation current */
static void simnic_pf_work_run(struct simnic_pf_work *w)
{
	struct simnic_pf *pf = w->pf;

	devl_assert_locked(priv_to_devlink(pf));
	switch (w->kind) {
	case SIMNIC_PF_WORK_VF_RESET:
		simnic_pf_vf_reset_finish(pf, w->arg);
		break;
	case SIMNIC_PF_WORK_VFS_CHANGED:
		simnic_pf_eswitch_vfs_changed(pf, w->arg);
		break;
	}
}

static void simnic_pf_wq_work(struct work_struct *work)
{
	struct simnic_pf_work *w = container_of(work, struct simnic_pf_work, work);
	struct simnic_pf *pf = w->pf;
	struct devlink *devlink = priv_to_devlink(pf);
	u32 delay;

	if (simnic_pf_work_stale(w))
		goto out_stale;
	/* fault injection: a worker that loses the race for the lock to a teardown.
	 * It waits as a worker waiting for the lock does: a bump ends the wait, and
	 * then it finds the lock taken by the teardown that bumped.
	 */
	delay = READ_ONCE(pf->wq_delay_ms);
	if (delay)
		wait_event_timeout(pf->wq_waitq, simnic_pf_work_stale(w),
				   msecs_to_jiffies(delay));
	while (!devl_trylock(devlink)) {
		if (simnic_pf_work_stale(w))
			goto out_stale;
		wait_event_timeout(pf->wq_waitq, simnic_pf_work_stale(w),
				   msecs_to_jiffies(SIMNIC_PF_WQ_SLICE_MS));
	}
	if (simnic_pf_work_stale(w)) {
		devl_unlock(devlink);
		goto out_stale;
	}
	simnic_pf_work_run(w);
	devl_unlock(devlink);
	atomic64_inc(&pf->wq_done);
	kfree(w);
	return;

out_stale:
	atomic64_inc(&pf->wq_stale);
	kfree(w);
}

/**
 * simnic_pf_wq_queue - queue work for the PF's work queue
 * @pf: the PF
 * @kind: what to do
 * @arg: about what (see enum simnic_pf_work_kind)
 *
 * The one way to queue PF work. The item carries the current generation. May sleep.
 * Returns 0, -ENOMEM, or -ESHUTDOWN once the queue is being torn down: the caller
 * then does without (or does the work itself).
 */
int simnic_pf_wq_queue(struct simnic_pf *pf, enum simnic_pf_work_kind kind, u32 arg)
{
	struct simnic_pf_work *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	INIT_WORK(&w->work, simnic_pf_wq_work);
	w->pf = pf;
	w->kind = kind;
	w->arg = arg;

	spin_lock(&pf->wq_lock);
	if (pf->wq_closed) {
		spin_unlock(&pf->wq_lock);
		kfree(w);
		return -ESHUTDOWN;
	}
	w->gen = pf->wq_gen;
	queue_work(pf->wq, &w->work);
	spin_unlock(&pf->wq_lock);
	atomic64_inc(&pf->wq_queued);
	return 0;
}

static void __simnic_pf_wq_bump(struct simnic_pf *pf, bool close)
{
	devl_assert_locked(priv_to_devlink(pf));
	spin_lock(&pf->wq_lock);
	WRITE_ONCE(pf->wq_gen, pf->wq_gen + 1);
	if (close)
		pf->wq_closed = true;
	spin_unlock(&pf->wq_lock);
	wake_up_all(&pf->wq_waitq);
}

/**
 * simnic_pf_wq_bump - an operation boundary: work queued before it is stale
 * @pf: the PF, its devlink instance locked
 *
 * Workers waiting for the devlink lock are woken to see it.
 */
void simnic_pf_wq_bump(struct simnic_pf *pf)
{
	__simnic_pf_wq_bump(pf, false);
}

int simnic_pf_wq_init(struct simnic_pf *pf)
{
	spin_lock_init(&pf->wq_lock);
	init_waitqueue_head(&pf->wq_waitq);
	pf->wq_closed = false;
	pf->wq = alloc_ordered_workqueue("simnic_pf-%s", 0, pci_name(pf->pdev));
	return pf->wq ? 0 : -ENOMEM;
}

/**
 * simnic_pf_wq_destroy - tear the work queue down
 * @pf: the PF, its devlink instance locked, its producers of work stopped
 *
 * Closes the queue and bumps the generation, waking the waiting workers, then
 * destroys the queue, which waits for them: each sees its generation stale and
 * returns without the lock we hold (see the top of this file). Cannot deadlock.
 */
void simnic_pf_wq_destroy(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	__simnic_pf_wq_bump(pf, true);
	destroy_workqueue(pf->wq);
	pf->wq = NULL;
	dev_info(&pf->pdev->dev, "work queue gone: %lld items run, %lld dropped as stale\n",
		 (s64)atomic64_read(&pf->wq_done), (s64)atomic64_read(&pf->wq_stale));
}
