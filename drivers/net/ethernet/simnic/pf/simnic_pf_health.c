// SPDX-License-Identifier: GPL-2.0
/* The devlink health reporter "mailbox" of the PF: what goes wrong on the VFs'
 * mailboxes, as `devlink health` shows it.
 *
 * Errors: a message from a VF that is refused (its opcode not in the VF's allowlist)
 * or malformed (it fails virtchnl validation), a mailbox flood detected, and a message
 * to a VF that the mailbox refused (-ENOSPC: the VF's receive queue is full, so the VF
 * will wait for a reply that never comes; -ENOMEM, -EMSGSIZE). A VF in reset (-ENODEV)
 * or a card being serviced (-EIO) are expected, not errors.
 *
 * Rules (the lock order is the rst's lock table):
 * - The mailbox paths record events under pf->lock, with no allocation: a copy into
 *   a ring of the last SIMNIC_PF_HEALTH_RING events (every message served, with its
 *   verdict, and every error) under health.lock, a spinlock.
 * - They never call devlink_health_report(): with auto_recover it recovers under the
 *   devlink lock, which nests outside pf->lock. A delayed work makes the report, at
 *   most one per SIMNIC_PF_HEALTH_REPORT_MS, for the first error since the last one
 *   (its error context, which the auto-dump shows as "trigger") and counting the
 *   others: a flood of bad messages is a few reports, not a storm. While the VF is
 *   rate-limited its messages are dropped unread and are not recorded.
 * - Reports are made only while the devlink instance is registered (the core's
 *   notifications want it): simnic_pf_health_start() after devlink_register(),
 *   simnic_pf_health_stop() before devlink_unregister().
 * - The dump and the diagnose put their items and leave failures to the fmsg, which
 *   keeps the first and fails the reply for it (simnic_compat.h: before 6.7 the
 *   putters returned it instead, and a failed item was left out).
 *
 * Recovery. With an error context (auto_recover, right after a report) there is
 * nothing more to do than the PF did already: the message was answered with an error
 * and changed nothing, the flooding VF is rate-limited and reset when its flood ends.
 * The recovery counts it and the reporter is healthy again. Without (`devlink health
 * recover`, with the reporter in error) it is full: every VF that caused an error
 * since the last full recovery has its flood rate limit lifted, if any, and is reset,
 * announced, so that it negotiates again from a clean state and replays its filters.
 * Done again, it finds no such VF and does nothing.
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/devlink.h>
#include "simnic_pf.h"

static const char * const simnic_pf_health_kind_names[] = {
	[SIMNIC_PF_HEALTH_OK] = "ok",
	[SIMNIC_PF_HEALTH_REFUSED] = "refused",
	[SIMNIC_PF_HEALTH_MALFORMED] = "malformed",
	[SIMNIC_PF_HEALTH_FLOOD] = "flood",
	[SIMNIC_PF_HEALTH_SEND_FAILED] = "send_failed",
};

static void simnic_pf_health_queue(struct simnic_pf_health *h)
{
	unsigned long due = h->last_report + msecs_to_jiffies(SIMNIC_PF_HEALTH_REPORT_MS);

	lockdep_assert_held(&h->lock);
	queue_delayed_work(system_wq, &h->work,
			   time_after(due, jiffies) ? due - jiffies : 0);
}

/**
 * simnic_pf_health_record - a mailbox event of @vf
 * @vf: the VF
 * @kind: what happened; SIMNIC_PF_HEALTH_OK for a message served
 * @opcode: the virtchnl opcode of the message (from the VF, or to it)
 * @len: its payload length
 * @err: the virtchnl status of the validation, the errno of the mailbox, or 0
 *
 * Cheap: no allocation, a copy under a spinlock. An error marks the VF for the next
 * full recovery and queues a report.
 */
void simnic_pf_health_record(struct simnic_pf_vf *vf, enum simnic_pf_health_kind kind,
			     u32 opcode, u16 len, int err)
{
	struct simnic_pf_health *h = &vf->pf->health;
	struct simnic_pf_health_event *ev;

	lockdep_assert_held(&vf->pf->lock);
	if (kind != SIMNIC_PF_HEALTH_OK)
		vf->mbx_offender = true;

	spin_lock(&h->lock);
	ev = &h->ring[h->head];
	h->head = (h->head + 1) % SIMNIC_PF_HEALTH_RING;
	ev->time_ns = ktime_get_real_ns();
	ev->opcode = opcode;
	ev->err = err;
	ev->vf = vf->id;
	ev->len = len;
	ev->kind = kind;
	h->events++;
	h->by_kind[kind]++;
	if (kind != SIMNIC_PF_HEALTH_OK) {
		if (!h->pending) {
			h->pending = true;
			h->trigger = *ev;
		}
		h->unreported++;
		if (h->live)
			simnic_pf_health_queue(h);
	}
	spin_unlock(&h->lock);
}

static void simnic_pf_health_work(struct work_struct *work)
{
	struct simnic_pf_health *h = container_of(to_delayed_work(work),
						  struct simnic_pf_health, work);
	struct simnic_pf_health_event ev;
	char msg[96];
	int n;
	u32 more;

	spin_lock(&h->lock);
	if (!h->pending || !h->live) {
		spin_unlock(&h->lock);
		return;
	}
	ev = h->trigger;
	more = h->unreported - 1;
	h->pending = false;
	h->unreported = 0;
	h->last_report = jiffies;
	h->reports++;
	spin_unlock(&h->lock);

	n = snprintf(msg, sizeof(msg), "VF %u: opcode %u (%s) %s", ev.vf, ev.opcode,
		     simnic_vc_op_str(ev.opcode), simnic_pf_health_kind_names[ev.kind]);
	if (ev.err && n < sizeof(msg))
		n += snprintf(msg + n, sizeof(msg) - n, ": %d", ev.err);
	if (more && n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ", and %u more", more);
	/* a report the grace period cancels (-ECANCELED) is counted all the same */
	devlink_health_report(h->reporter, msg, &ev);
}

static void simnic_pf_health_event_put(struct devlink_fmsg *fmsg,
				       const struct simnic_pf_health_event *ev)
{
	char buf[12];

	devlink_fmsg_u64_pair_put(fmsg, "time_ns", ev->time_ns);
	devlink_fmsg_u32_pair_put(fmsg, "vf", ev->vf);
	devlink_fmsg_u32_pair_put(fmsg, "opcode", ev->opcode);
	devlink_fmsg_string_pair_put(fmsg, "op", simnic_vc_op_str(ev->opcode));
	devlink_fmsg_u32_pair_put(fmsg, "len", ev->len);
	devlink_fmsg_string_pair_put(fmsg, "verdict", simnic_pf_health_kind_names[ev->kind]);
	if (!ev->err)
		return;
	/* a virtchnl status for a malformed message, an errno for a failed send */
	snprintf(buf, sizeof(buf), "%d", ev->err);
	devlink_fmsg_string_pair_put(fmsg, ev->kind == SIMNIC_PF_HEALTH_MALFORMED ?
				     "virtchnl_status" : "errno", buf);
}

/* The error that made the report (auto-dump only), then the ring, oldest first */
static int simnic_pf_health_dump(struct devlink_health_reporter *reporter,
				 struct devlink_fmsg *fmsg, void *priv_ctx,
				 struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_health_reporter_priv(reporter);
	struct simnic_pf_health *h = &pf->health;
	struct simnic_pf_health_event *ring;
	unsigned int i, n, first;
	u64 events;

	ring = kmalloc_array(SIMNIC_PF_HEALTH_RING, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	spin_lock(&h->lock);
	events = h->events;
	n = min_t(u64, events, SIMNIC_PF_HEALTH_RING);
	first = (h->head + SIMNIC_PF_HEALTH_RING - n) % SIMNIC_PF_HEALTH_RING;
	for (i = 0; i < n; i++)
		ring[i] = h->ring[(first + i) % SIMNIC_PF_HEALTH_RING];
	spin_unlock(&h->lock);

	if (priv_ctx) {
		devlink_fmsg_pair_nest_start(fmsg, "trigger");
		devlink_fmsg_obj_nest_start(fmsg);
		simnic_pf_health_event_put(fmsg, priv_ctx);
		devlink_fmsg_obj_nest_end(fmsg);
		devlink_fmsg_pair_nest_end(fmsg);
	}
	devlink_fmsg_u64_pair_put(fmsg, "events", events);
	devlink_fmsg_arr_pair_nest_start(fmsg, "messages");
	for (i = 0; i < n; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		simnic_pf_health_event_put(fmsg, &ring[i]);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	devlink_fmsg_arr_pair_nest_end(fmsg);
	kfree(ring);
	return 0;
}

static void simnic_pf_health_vf_put(struct devlink_fmsg *fmsg, const struct simnic_pf_vf *vf)
{
	const struct simnic_pf_vf_mbx *mbx = &vf->mbx;

	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_u32_pair_put(fmsg, "vf", vf->id);
	devlink_fmsg_u64_pair_put(fmsg, "received", mbx->received);
	devlink_fmsg_u64_pair_put(fmsg, "refused", mbx->refused);
	devlink_fmsg_u64_pair_put(fmsg, "malformed", mbx->invalid);
	devlink_fmsg_u32_pair_put(fmsg, "floods", mbx->floods);
	devlink_fmsg_u64_pair_put(fmsg, "send_failed", mbx->send_failed);
	devlink_fmsg_bool_pair_put(fmsg, "limited", mbx->limited);
	devlink_fmsg_bool_pair_put(fmsg, "offender", vf->mbx_offender);
	devlink_fmsg_obj_nest_end(fmsg);
}

/* The counters: errors by kind, reports and recoveries, then per VF. With the devlink
 * instance locked, which nests outside pf->lock.
 */
static int simnic_pf_health_diagnose(struct devlink_health_reporter *reporter,
				     struct devlink_fmsg *fmsg,
				     struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_health_reporter_priv(reporter);
	u64 by_kind[SIMNIC_PF_HEALTH_KINDS], events, reports, recoveries, vfs_reset, lifted;
	struct simnic_pf_health *h = &pf->health;
	unsigned int k;
	u16 i;

	spin_lock(&h->lock);
	memcpy(by_kind, h->by_kind, sizeof(by_kind));
	events = h->events;
	reports = h->reports;
	recoveries = h->recoveries;
	vfs_reset = h->vfs_reset;
	lifted = h->limits_lifted;
	spin_unlock(&h->lock);

	devlink_fmsg_u64_pair_put(fmsg, "events", events);
	devlink_fmsg_pair_nest_start(fmsg, "errors");
	devlink_fmsg_obj_nest_start(fmsg);
	for (k = SIMNIC_PF_HEALTH_OK + 1; k < SIMNIC_PF_HEALTH_KINDS; k++)
		devlink_fmsg_u64_pair_put(fmsg, simnic_pf_health_kind_names[k], by_kind[k]);
	devlink_fmsg_obj_nest_end(fmsg);
	devlink_fmsg_pair_nest_end(fmsg);
	devlink_fmsg_u64_pair_put(fmsg, "reports", reports);
	devlink_fmsg_u64_pair_put(fmsg, "full_recoveries", recoveries);
	devlink_fmsg_u64_pair_put(fmsg, "vfs_reset", vfs_reset);
	devlink_fmsg_u64_pair_put(fmsg, "limits_lifted", lifted);
	devlink_fmsg_arr_pair_nest_start(fmsg, "vfs");
	mutex_lock(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++)
		simnic_pf_health_vf_put(fmsg, &pf->vfs[i]);
	mutex_unlock(&pf->lock);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	return 0;
}

/* See the top comment. With the devlink instance locked (the netlink command, or the
 * core's auto-recovery from simnic_pf_health_work()).
 */
static int simnic_pf_health_recover(struct devlink_health_reporter *reporter,
				    void *priv_ctx, struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_health_reporter_priv(reporter);
	struct device *dev = &pf->pdev->dev;
	unsigned int reset = 0, lifted = 0;
	struct simnic_pf_vf *vf;
	bool was_limited;
	u16 i;

	devl_assert_locked(priv_to_devlink(pf));
	if (priv_ctx)
		return 0;	/* contained already: see the top comment */

	mutex_lock(&pf->lock);
	if (pf->in_service) {
		mutex_unlock(&pf->lock);
		NL_SET_ERR_MSG_MOD(extack, "the device is being serviced: try later");
		return -EBUSY;
	}
	/* only after a failed reload: the devlink lock keeps one under way out */
	if (pf->reloading) {
		mutex_unlock(&pf->lock);
		NL_SET_ERR_MSG_MOD(extack, "the PF is down after a failed reload: reload it");
		return -EBUSY;
	}
	for (i = 0; i < pf->num_vfs; i++) {
		vf = &pf->vfs[i];
		if (!vf->mbx_offender)
			continue;
		vf->mbx_offender = false;
		was_limited = simnic_pf_mbx_lift_limit(vf);
		lifted += was_limited;
		dev_info(dev, "VF %u: mailbox recovery: %sresetting it\n", vf->id,
			 was_limited ? "flood rate limit lifted, " : "");
		simnic_pf_trigger_vf_reset(vf);
		reset++;
	}
	spin_lock(&pf->health.lock);
	pf->health.recoveries++;
	pf->health.vfs_reset += reset;
	pf->health.limits_lifted += lifted;
	spin_unlock(&pf->health.lock);
	mutex_unlock(&pf->lock);
	dev_info(dev, "mailbox recovery: %u VFs reset, %u rate limits lifted\n", reset,
		 lifted);
	return 0;
}

static const struct devlink_health_reporter_ops simnic_pf_health_ops = {
	.name = "mailbox",
	.recover = simnic_pf_health_recover,
	.dump = simnic_pf_health_dump,
	.diagnose = simnic_pf_health_diagnose,
};

/* In probe, before the service task can run; reports wait for simnic_pf_health_start() */
int simnic_pf_health_create(struct simnic_pf *pf)
{
	struct simnic_pf_health *h = &pf->health;
	struct devlink_health_reporter *reporter;

	spin_lock_init(&h->lock);
	INIT_DELAYED_WORK(&h->work, simnic_pf_health_work);
	h->last_report = jiffies - msecs_to_jiffies(SIMNIC_PF_HEALTH_REPORT_MS);
	reporter = devlink_health_reporter_create(priv_to_devlink(pf), &simnic_pf_health_ops,
						  SIMNIC_PF_HEALTH_GRACE_MS, pf);
	if (IS_ERR(reporter))
		return PTR_ERR(reporter);
	h->reporter = reporter;
	return 0;
}

/* Nothing records events any more (the service task is gone) and reports stopped */
void simnic_pf_health_destroy(struct simnic_pf *pf)
{
	devlink_health_reporter_destroy(pf->health.reporter);
	pf->health.reporter = NULL;
}

/* The devlink instance is registered: errors recorded until now are reported */
void simnic_pf_health_start(struct simnic_pf *pf)
{
	struct simnic_pf_health *h = &pf->health;

	spin_lock(&h->lock);
	h->live = true;
	if (h->pending)
		simnic_pf_health_queue(h);
	spin_unlock(&h->lock);
}

/* Before devlink_unregister(), without the devlink lock (the work may take it):
 * events are still recorded, but no report is made from here on
 */
void simnic_pf_health_stop(struct simnic_pf *pf)
{
	struct simnic_pf_health *h = &pf->health;

	spin_lock(&h->lock);
	h->live = false;
	spin_unlock(&h->lock);
	cancel_delayed_work_sync(&h->work);
}
