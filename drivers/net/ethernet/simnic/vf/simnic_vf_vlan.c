// SPDX-License-Identifier: GPL-2.0
/* VLAN filters: iavf's state machine, with the gaps iavf leaves closed (below).
 *
 *   ADD --send--> ADDING --ok--> ACTIVE --kill--> REMOVE --send--> REMOVING --ok--> freed
 *
 * - Filters stay ACTIVE across down/up: no DEL/ADD cycle, so no anti-spoof gap.
 * - An entry is freed only when the PF confirms the DEL; a refused DEL puts it back to
 *   ACTIVE (it is still in the switch, and still tracked).
 * - @wanted records what the user wants now; a reply leads where it says: add during
 *   REMOVE cancels the DEL, add during REMOVING re-adds after the reply, kill during
 *   ADDING deletes after the reply, and double add or kill changes nothing.
 * - A reset replays what the user wants and forgets what they deleted, even when the
 *   DEL was still in flight (iavf resurrects those).
 * - A refused ADD frees the entry; nothing stays ADDING (iavf's V1 did).
 * - Entries on their way out do not count against the limit, so delete-then-add at the
 *   limit works: DELs go out before ADDs.
 * - With V2 the PF tells the limit and adds are checked here and batched; V1 says
 *   nothing about limits, so an add waits for the PF's answer to give the user its error.
 *   A V2 refusal comes after the add returned: it is logged and the entry freed.
 * - The limit can shrink under us (trust taken away resets the VF). After the reset we
 *   keep the oldest filters that fit the new V2 limit and drop the rest with one log
 *   line; a V1 batch the PF finds over its limit is sent again one filter at a time, so
 *   as many get in as fit and only the others are refused.
 */
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include "simnic_vf.h"

/* the most VIDs a message of each flavour takes (simnic_compat.h sizes them) */
#define SIMNIC_VF_V1_PER_MSG						\
	((SIMNIC_MBX_MAX_LEN -						\
	  simnic_vc_size((struct virtchnl_vlan_filter_list *)NULL, vlan_id, 0)) / \
	 sizeof(u16))
#define SIMNIC_VF_V2_PER_MSG						\
	((SIMNIC_MBX_MAX_LEN -						\
	  simnic_vc_size_v2((struct virtchnl_vlan_filter_list_v2 *)NULL, filters, 1)) / \
	 sizeof(struct virtchnl_vlan_filter) + 1)
#define SIMNIC_VF_VLAN_WAIT	(2 * SIMNIC_VF_OP_TIMEOUT)
/* V2 adds are held while more keep coming, so a burst (ip -batch, a trunk of 4094, one
 * `ip link add` after another) goes out in full messages: until the adds pause, a
 * message is full, or the oldest has waited SIMNIC_VF_VLAN_MAX_HOLD. How long a pause
 * ends the batch follows the pace of the adds (simnic_vf_vlan_quiet()): each VLAN
 * device the stack registers costs its caller from a few milliseconds to tens of them
 * on a slow or debug kernel, so a fixed pause would either split a steady burst into
 * single filters or delay a lone add for nothing.
 */
#define SIMNIC_VF_VLAN_QUIET_MIN	msecs_to_jiffies(20)
#define SIMNIC_VF_VLAN_QUIET_MAX	msecs_to_jiffies(100)
#define SIMNIC_VF_VLAN_MAX_HOLD		msecs_to_jiffies(1000)

const char *simnic_vf_vlan_state_name(enum simnic_vf_vlan_state state)
{
	static const char * const names[] = {
		[SIMNIC_VLAN_ADD] = "ADD",
		[SIMNIC_VLAN_ADDING] = "ADDING",
		[SIMNIC_VLAN_ACTIVE] = "ACTIVE",
		[SIMNIC_VLAN_REMOVE] = "REMOVE",
		[SIMNIC_VLAN_REMOVING] = "REMOVING",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

/**
 * simnic_vf_vlan_quiet - the pause that ends a batch of V2 adds
 * @gap: jiffies since the add before this one
 *
 * Twice the gap, within SIMNIC_VF_VLAN_QUIET_MIN and SIMNIC_VF_VLAN_QUIET_MAX: the next
 * add of a steady burst comes in time to join. An add after a longer gap than
 * SIMNIC_VF_VLAN_QUIET_MAX is a lone one and waits only the minimum.
 *
 * Return: the pause, in jiffies
 */
static unsigned long simnic_vf_vlan_quiet(unsigned long gap)
{
	if (gap > SIMNIC_VF_VLAN_QUIET_MAX)
		return SIMNIC_VF_VLAN_QUIET_MIN;
	return clamp(2 * gap, SIMNIC_VF_VLAN_QUIET_MIN, SIMNIC_VF_VLAN_QUIET_MAX);
}

static struct simnic_vf_vlan *simnic_vf_vlan_find(struct simnic_vf *vf, u16 vid)
{
	struct simnic_vf_vlan *f;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->vid == vid)
			return f;
	return NULL;
}

static void simnic_vf_vlan_free(struct simnic_vf_vlan *f)
{
	list_del(&f->list);
	kfree(f);
}

/* Filters that count against the PF's limit: all but those on their way out */
static u16 simnic_vf_vlan_count(struct simnic_vf *vf)
{
	struct simnic_vf_vlan *f;
	u16 n = 0;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->wanted)
			n++;
	return n;
}

static void simnic_vf_vlan_complete(struct simnic_vf *vf, u16 vid, int err)
{
	struct simnic_vf_vlan_waiter *w;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(w, &vf->vlan.waiters, list) {
		if (w->vid == vid && !w->done) {
			w->err = err;
			WRITE_ONCE(w->done, true);
		}
	}
}

static int simnic_vf_vlan_errno(int status)
{
	switch (status) {
	case VIRTCHNL_STATUS_ERR_NO_MEMORY:
		return -ENOSPC;
	case VIRTCHNL_STATUS_ERR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case VIRTCHNL_STATUS_ERR_PARAM:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static void simnic_vf_vlan_refused(struct simnic_vf *vf, u16 vid, int status, bool add)
{
	struct net_device *netdev = vf->netdev;

	if (add && status == VIRTCHNL_STATUS_ERR_NO_MEMORY)
		netdev_err(netdev, "PF refused VLAN %u: this VF is at its VLAN limit%s; ask the host to set 'trust on' for it to allow more\n",
			   vid, vf->vlan.max ? "" : " (V1 does not tell the limit)");
	else
		netdev_err(netdev, "PF refused to %s VLAN %u (virtchnl status %d)%s\n",
			   add ? "add" : "delete", vid, status,
			   add ? "" : "; the filter stays active");
}

static int simnic_vf_vlan_wait(struct simnic_vf *vf, u16 vid)
{
	struct simnic_vf_vlan_waiter w = { .vid = vid };

	lockdep_assert_held(&vf->lock);
	list_add(&w.list, &vf->vlan.waiters);
	mutex_unlock(&vf->lock);
	if (!wait_event_timeout(vf->vc.wq, READ_ONCE(w.done) ||
				READ_ONCE(vf->state) == SIMNIC_VF_REMOVING,
				SIMNIC_VF_VLAN_WAIT))
		netdev_warn(vf->netdev, "VLAN %u: no answer from the PF yet, it stays queued\n",
			    vid);
	mutex_lock(&vf->lock);
	list_del(&w.list);
	return w.done ? w.err : 0;
}

int simnic_vf_vlan_rx_add_vid(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct simnic_vf *vf = netdev->ml_priv;
	struct simnic_vf_vlan *f;
	int err = 0;

	/* VID 0 (priority tags) always passes the switch: nothing to program */
	if (!vid)
		return 0;

	mutex_lock(&vf->lock);
	f = simnic_vf_vlan_find(vf, vid);
	if (f) {
		/* Double add; or add during REMOVE (cancels the DEL), during REMOVING
		 * (re-added after the reply) or during ADDING after a kill
		 */
		f->wanted = true;
		if (f->state == SIMNIC_VLAN_REMOVE)
			f->state = SIMNIC_VLAN_ACTIVE;
		goto out_unlock;
	}
	/* Filtering off: the stack asks only while it turns the feature off
	 * (simnic_vf_renew()), and the VLAN passes unfiltered
	 */
	if (vf->vlan.proto == SIMNIC_VF_VLAN_OFF)
		goto out_unlock;
	if (vf->state == SIMNIC_VF_READY && vf->vlan.proto == SIMNIC_VF_VLAN_NONE) {
		netdev_err(netdev, "cannot add VLAN %u: the PF does not offer VLAN filters to this VF (port VLAN set?)\n",
			   vid);
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (vf->vlan.max && simnic_vf_vlan_count(vf) >= vf->vlan.max) {
		netdev_err(netdev, "cannot add VLAN %u: the PF allows this VF %u VLAN filters; ask the host to set 'trust on' for it to allow more\n",
			   vid, vf->vlan.max);
		err = -ENOSPC;
		goto out_unlock;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		err = -ENOMEM;
		goto out_unlock;
	}
	f->vid = vid;
	f->state = SIMNIC_VLAN_ADD;
	f->wanted = true;
	list_add_tail(&f->list, &vf->vlan.list);
	if (vf->vlan.proto == SIMNIC_VF_VLAN_V1) {
		set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
		simnic_vf_kick(vf);
		/* in a rebuild (simnic_vf_renew() turning filtering back on) the watchdog
		 * is the caller: the filter goes out with the others once we are ready
		 */
		if (vf->state == SIMNIC_VF_READY)
			err = simnic_vf_vlan_wait(vf, vid);
		goto out_unlock;
	}
	vf->vlan.quiet = simnic_vf_vlan_quiet(jiffies - vf->vlan.last_add);
	vf->vlan.last_add = jiffies;
	if (!test_and_set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required))
		vf->vlan.first_held = jiffies;
	if (!vf->vlan.batch_kick) {
		vf->vlan.batch_kick = true;
		mod_delayed_work(simnic_vf_wq, &vf->watchdog, vf->vlan.quiet);
	}
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

int simnic_vf_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct simnic_vf *vf = netdev->ml_priv;
	struct simnic_vf_vlan *f;

	if (!vid)
		return 0;

	mutex_lock(&vf->lock);
	f = simnic_vf_vlan_find(vf, vid);
	if (!f || !f->wanted)
		goto out_unlock;	/* double kill, or kill during REMOVING */
	f->wanted = false;
	switch (f->state) {
	case SIMNIC_VLAN_ADD:
		simnic_vf_vlan_free(f);	/* never sent */
		break;
	case SIMNIC_VLAN_ACTIVE:
		f->state = SIMNIC_VLAN_REMOVE;
		set_bit(SIMNIC_VF_AQ_DEL_VLAN, &vf->vc.aq_required);
		simnic_vf_kick(vf);
		break;
	default:
		break;		/* ADDING and REMOVING: the reply decides */
	}
out_unlock:
	mutex_unlock(&vf->lock);
	return 0;
}

static void *simnic_vf_vlan_msg_v1(struct simnic_vf *vf, const u16 *vids, u16 n,
				   u16 *len)
{
	struct virtchnl_vlan_filter_list *vfl;
	u16 i;

	*len = simnic_vc_size(vfl, vlan_id, n);
	vfl = kzalloc(*len, GFP_KERNEL);
	if (!vfl)
		return NULL;
	vfl->vsi_id = vf->vc.vsi_id;
	vfl->num_elements = n;
	for (i = 0; i < n; i++)
		vfl->vlan_id[i] = vids[i];
	return vfl;
}

static void *simnic_vf_vlan_msg_v2(struct simnic_vf *vf, const u16 *vids, u16 n,
				   u16 *len)
{
	struct virtchnl_vlan_filter_list_v2 *vfl;
	u16 i;

	*len = simnic_vc_size_v2(vfl, filters, n);
	vfl = kzalloc(*len, GFP_KERNEL);
	if (!vfl)
		return NULL;
	vfl->vport_id = vf->vc.vsi_id;
	vfl->num_elements = n;
	for (i = 0; i < n; i++) {
		vfl->filters[i].outer.tci = vids[i];
		vfl->filters[i].outer.tpid = ETH_P_8021Q;
	}
	return vfl;
}

/* How long to hold back queued V2 adds for more to join them; 0 to send now */
unsigned long simnic_vf_vlan_hold(struct simnic_vf *vf)
{
	unsigned long now = jiffies, until;
	struct simnic_vf_vlan *f;
	u16 n = 0;

	lockdep_assert_held(&vf->lock);
	if (vf->vlan.proto != SIMNIC_VF_VLAN_V2)
		return 0;
	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->state == SIMNIC_VLAN_ADD && ++n >= SIMNIC_VF_V2_PER_MSG)
			return 0;
	until = min(vf->vlan.last_add + vf->vlan.quiet,
		    vf->vlan.first_held + SIMNIC_VF_VLAN_MAX_HOLD);
	return time_before(now, until) ? until - now : 0;
}

/* Send one ADD (or DEL) with as many queued filters as a message holds */
int simnic_vf_send_vlans(struct simnic_vf *vf, bool add)
{
	enum simnic_vf_vlan_state from = add ? SIMNIC_VLAN_ADD : SIMNIC_VLAN_REMOVE;
	enum simnic_vf_vlan_state to = add ? SIMNIC_VLAN_ADDING : SIMNIC_VLAN_REMOVING;
	bool v1 = vf->vlan.proto == SIMNIC_VF_VLAN_V1;
	u16 max = v1 ? SIMNIC_VF_V1_PER_MSG : SIMNIC_VF_V2_PER_MSG;

	if (add && vf->vlan.one_by_one)
		max = 1;
	struct simnic_vf_vlan *f;
	u16 n = 0, len, *vids;
	void *msg;
	u32 op;
	int err;

	lockdep_assert_held(&vf->lock);

	if (vf->vlan.proto == SIMNIC_VF_VLAN_NONE || vf->vlan.proto == SIMNIC_VF_VLAN_OFF)
		return 0;	/* nothing can be sent: the bit is dropped */
	vids = kcalloc(max, sizeof(*vids), GFP_KERNEL);
	if (!vids)
		return -ENOMEM;
	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->state == from && n < max)
			vids[n++] = f->vid;
	if (!n) {
		kfree(vids);
		return 0;
	}
	msg = v1 ? simnic_vf_vlan_msg_v1(vf, vids, n, &len) :
		   simnic_vf_vlan_msg_v2(vf, vids, n, &len);
	kfree(vids);
	if (!msg)
		return -ENOMEM;
	if (v1)
		op = add ? VIRTCHNL_OP_ADD_VLAN : VIRTCHNL_OP_DEL_VLAN;
	else
		op = add ? VIRTCHNL_OP_ADD_VLAN_V2 : VIRTCHNL_OP_DEL_VLAN_V2;
	err = simnic_vf_send(vf, op, msg, len);
	kfree(msg);
	if (err)
		return err;

	if (add)
		vf->cnt.vc_sent_vlan_add++;
	else
		vf->cnt.vc_sent_vlan_del++;
	list_for_each_entry(f, &vf->vlan.list, list) {
		if (f->state == from && n) {
			f->state = to;
			n--;
		}
	}
	/* More than one message's worth: keep the request flag for the rest */
	list_for_each_entry(f, &vf->vlan.list, list)
		if (f->state == from)
			return -EAGAIN;
	return 0;
}

/* The PF answered the ADD or DEL in flight */
void simnic_vf_vlan_reply(struct simnic_vf *vf, u32 op, int status)
{
	bool add = op == VIRTCHNL_OP_ADD_VLAN || op == VIRTCHNL_OP_ADD_VLAN_V2;
	int err = simnic_vf_vlan_errno(status);
	struct simnic_vf_vlan *f, *tmp;
	u16 adding = 0;

	lockdep_assert_held(&vf->lock);

	if (add && status == VIRTCHNL_STATUS_ERR_NO_MEMORY) {
		list_for_each_entry(f, &vf->vlan.list, list)
			adding += f->state == SIMNIC_VLAN_ADDING;
	}
	if (adding > 1) {
		/* Over the limit as a whole, so none went in: some may still fit, so
		 * try each alone (those killed meanwhile need no try)
		 */
		list_for_each_entry_safe(f, tmp, &vf->vlan.list, list) {
			if (f->state != SIMNIC_VLAN_ADDING)
				continue;
			if (f->wanted)
				f->state = SIMNIC_VLAN_ADD;
			else
				simnic_vf_vlan_free(f);
		}
		vf->vlan.one_by_one = true;
		set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
		return;
	}
	if (add && !test_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required))
		vf->vlan.one_by_one = false;

	list_for_each_entry_safe(f, tmp, &vf->vlan.list, list) {
		if (add && f->state == SIMNIC_VLAN_ADDING) {
			if (status) {
				simnic_vf_vlan_refused(vf, f->vid, status, true);
				simnic_vf_vlan_complete(vf, f->vid, err);
				simnic_vf_vlan_free(f);
				continue;
			}
			simnic_vf_vlan_complete(vf, f->vid, 0);
			if (f->wanted) {
				f->state = SIMNIC_VLAN_ACTIVE;
			} else {
				f->state = SIMNIC_VLAN_REMOVE;
				set_bit(SIMNIC_VF_AQ_DEL_VLAN, &vf->vc.aq_required);
			}
		} else if (!add && f->state == SIMNIC_VLAN_REMOVING) {
			if (status) {
				simnic_vf_vlan_refused(vf, f->vid, status, false);
				f->state = SIMNIC_VLAN_ACTIVE;
			} else if (f->wanted) {
				f->state = SIMNIC_VLAN_ADD;
				set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
			} else {
				simnic_vf_vlan_free(f);
			}
		}
	}
	wake_up_all(&vf->vc.wq);
}

/* No reply came: send the same filters again (the PF's ADD and DEL are idempotent) */
void simnic_vf_vlan_timeout(struct simnic_vf *vf)
{
	struct simnic_vf_vlan *f;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(f, &vf->vlan.list, list) {
		if (f->state == SIMNIC_VLAN_ADDING) {
			f->state = SIMNIC_VLAN_ADD;
			set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
		} else if (f->state == SIMNIC_VLAN_REMOVING) {
			f->state = SIMNIC_VLAN_REMOVE;
			set_bit(SIMNIC_VF_AQ_DEL_VLAN, &vf->vc.aq_required);
		}
	}
}

/* A reset wiped the PF's table: replay what the user wants, forget the rest */
void simnic_vf_vlan_reset(struct simnic_vf *vf)
{
	struct simnic_vf_vlan *f, *tmp;

	lockdep_assert_held(&vf->lock);
	vf->vlan.one_by_one = false;
	WRITE_ONCE(vf->vlan.insert_on, false);	/* the reset turned it off at the PF */
	list_for_each_entry_safe(f, tmp, &vf->vlan.list, list) {
		if (f->wanted)
			f->state = SIMNIC_VLAN_ADD;
		else
			simnic_vf_vlan_free(f);
	}
	if (!list_empty(&vf->vlan.list))
		set_bit(SIMNIC_VF_AQ_ADD_VLAN, &vf->vc.aq_required);
}

/* After a reset, with the PF's offer known again: the filters to replay must fit it */
void simnic_vf_vlan_fit(struct simnic_vf *vf)
{
	u16 kept = 0, dropped = 0, first = 0, last = 0;
	struct simnic_vf_vlan *f, *tmp;

	lockdep_assert_held(&vf->lock);
	if (vf->vlan.proto == SIMNIC_VF_VLAN_OFF) {
		/* the stack hands them back when filtering is on again */
		simnic_vf_vlan_free_all(vf);
		return;
	}
	if (vf->vlan.proto != SIMNIC_VF_VLAN_NONE && !vf->vlan.max)
		return;		/* V1: the PF's answers will tell */
	list_for_each_entry_safe(f, tmp, &vf->vlan.list, list) {
		if (vf->vlan.proto != SIMNIC_VF_VLAN_NONE && kept < vf->vlan.max) {
			kept++;
			continue;
		}
		if (!dropped++)
			first = f->vid;
		last = f->vid;
		simnic_vf_vlan_free(f);
	}
	if (!dropped)
		return;
	if (vf->vlan.proto == SIMNIC_VF_VLAN_NONE)
		netdev_warn(vf->netdev, "the PF no longer offers VLAN filters to this VF (port VLAN set?): %u VLAN filters dropped\n",
			    dropped);
	else
		netdev_warn(vf->netdev, "the PF now allows this VF %u VLAN filters: dropped the %u added last (VLAN %u ... VLAN %u); delete and add them again once the host sets 'trust on'\n",
			    vf->vlan.max, dropped, first, last);
}

/* The tag offloads the PF offers in @caps (NULL: none): the outer 802.1Q tag, which
 * we may turn on and off, as iavf takes them (iavf_set_vlan_offload_features())
 */
void simnic_vf_vlan_offers(struct simnic_vf *vf, const struct virtchnl_vlan_caps *caps)
{
	const u32 need = VIRTCHNL_VLAN_ETHERTYPE_8100 | VIRTCHNL_VLAN_TOGGLE;
	bool strip = false, insert = false;

	lockdep_assert_held(&vf->lock);
	if (caps && caps->offloads.ethertype_init & VIRTCHNL_VLAN_ETHERTYPE_8100) {
		strip = (caps->offloads.stripping_support.outer & need) == need;
		insert = (caps->offloads.insertion_support.outer & need) == need;
	}
	if (strip != vf->vlan.strip_offered || insert != vf->vlan.insert_offered)
		vf->vlan.offers_changed = true;
	vf->vlan.strip_offered = strip;
	vf->vlan.insert_offered = insert;
	/* the PF has both off after a reset: send what the features want */
	if (strip)
		set_bit(SIMNIC_VF_AQ_VLAN_STRIP, &vf->vc.aq_required);
	if (insert)
		set_bit(SIMNIC_VF_AQ_VLAN_INSERT, &vf->vc.aq_required);
}

/* rxvlan and txvlan as the netdev's features now have them */
void simnic_vf_vlan_offload_want(struct simnic_vf *vf, bool strip, bool insert)
{
	lockdep_assert_held(&vf->lock);
	if (strip != vf->vlan.strip_want && vf->vlan.strip_offered)
		set_bit(SIMNIC_VF_AQ_VLAN_STRIP, &vf->vc.aq_required);
	if (insert != vf->vlan.insert_want && vf->vlan.insert_offered)
		set_bit(SIMNIC_VF_AQ_VLAN_INSERT, &vf->vc.aq_required);
	/* from now on the stack's tags may be ours to insert */
	if (!insert)
		WRITE_ONCE(vf->vlan.insert_on, false);
	vf->vlan.strip_want = strip;
	vf->vlan.insert_want = insert;
}

/* {ENABLE,DISABLE}_VLAN_{STRIPPING,INSERTION}_V2 as wanted, for the outer tag */
int simnic_vf_vlan_offload_send(struct simnic_vf *vf, bool strip)
{
	struct virtchnl_vlan_setting vs = {
		.outer_ethertype_setting = VIRTCHNL_VLAN_ETHERTYPE_8100,
		.vport_id = vf->vc.vsi_id,
	};
	u32 op;

	lockdep_assert_held(&vf->lock);
	if (strip) {
		op = vf->vlan.strip_want ? VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2 :
					   VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2;
	} else {
		op = vf->vlan.insert_want ? VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2 :
					    VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2;
		WRITE_ONCE(vf->vlan.insert_on, false);	/* until the PF says so */
	}
	return simnic_vf_send(vf, op, &vs, sizeof(vs));
}

/* The PF answered a tag offload request; a refused one stays off */
void simnic_vf_vlan_offload_reply(struct simnic_vf *vf, u32 op, s32 retval)
{
	lockdep_assert_held(&vf->lock);
	if (retval) {
		netdev_err(vf->netdev, "PF refused %s: %d\n", simnic_vc_op_str(op), retval);
		return;
	}
	if (op == VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2 && vf->vlan.insert_want)
		WRITE_ONCE(vf->vlan.insert_on, true);
}

/* GET_OFFLOAD_VLAN_V2_CAPS answered: we filter on the outer 802.1Q tag if offered,
 * and strip and insert it if offered
 */
void simnic_vf_vlan_caps(struct simnic_vf *vf, struct simnic_mbx_msg *m)
{
	struct virtchnl_vlan_caps *caps = (void *)m->data;

	lockdep_assert_held(&vf->lock);
	vf->vlan.proto = SIMNIC_VF_VLAN_NONE;
	vf->vlan.max = 0;
	if (m->retval || m->len < sizeof(*caps)) {
		dev_err(&vf->pdev->dev, "no usable VLAN V2 capabilities from the PF\n");
		simnic_vf_vlan_offers(vf, NULL);
		return;
	}
	simnic_vf_vlan_offers(vf, caps);
	if (!(caps->filtering.filtering_support.outer & VIRTCHNL_VLAN_ETHERTYPE_8100) ||
	    !caps->filtering.max_filters)
		return;
	vf->vlan.proto = SIMNIC_VF_VLAN_V2;
	vf->vlan.max = caps->filtering.max_filters;
	if (vf->vlan.max > VLAN_N_VID - 2) {
		dev_warn(&vf->pdev->dev, "PF offers %u VLAN filters: there are %u VLANs\n",
			 vf->vlan.max, VLAN_N_VID - 2);
		vf->vlan.max = VLAN_N_VID - 2;
	}
}

/* Remove: the PF resets us, so only our memory is left to free */
void simnic_vf_vlan_free_all(struct simnic_vf *vf)
{
	struct simnic_vf_vlan *f, *tmp;

	list_for_each_entry_safe(f, tmp, &vf->vlan.list, list)
		simnic_vf_vlan_free(f);
}

/* only in the build/kunit modules (make modules-kunit), not at every load */
#if IS_ENABLED(CONFIG_SIMNIC_KUNIT_TEST)
#include "simnic_vf_vlan_test.c"
#endif
