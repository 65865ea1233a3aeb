// SPDX-License-Identifier: GPL-2.0
/* The PF<->VF mailbox: one per VF, a bounded queue in each direction and a doorbell that
 * fires the receiver's misc vector. The hardware does not look inside messages.
 */
#include <linux/export.h>
#include <linux/slab.h>
#include "simnic_hw.h"

void simnic_mbx_init(struct simnic_mbx *mbx)
{
	spin_lock_init(&mbx->lock);
	INIT_LIST_HEAD(&mbx->to_pf);
	INIT_LIST_HEAD(&mbx->to_vf);
}

static void simnic_mbx_free_list(struct list_head *head)
{
	struct simnic_mbx_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, head, list) {
		list_del(&e->list);
		kfree(e);
	}
}

/* Empty the queue to the PF, and with @to_vf the one to the VF as well. A VF reset
 * leaves the VF's queue alone: like an admin receive queue in the VF's memory, what
 * the PF posted before the reset (a RESET_IMPENDING event, a late reply) stays there
 * until the VF driver reads or discards it.
 */
void simnic_mbx_purge(struct simnic_mbx *mbx, bool to_vf_too)
{
	LIST_HEAD(to_pf);
	LIST_HEAD(to_vf);

	spin_lock_bh(&mbx->lock);
	list_splice_init(&mbx->to_pf, &to_pf);
	mbx->n_to_pf = 0;
	if (to_vf_too) {
		list_splice_init(&mbx->to_vf, &to_vf);
		mbx->n_to_vf = 0;
	}
	spin_unlock_bh(&mbx->lock);
	simnic_mbx_free_list(&to_pf);
	simnic_mbx_free_list(&to_vf);
}

/* The VF whose mailbox @fn talks through, or NULL if there is none */
static struct simnic_fn *simnic_mbx_vf(struct simnic_fn *fn, u16 vf)
{
	struct simnic_fn *vf_fn = fn->is_vf ? fn : simnic_hw_pf_vf_fn(fn, vf);

	if (!vf_fn || !READ_ONCE(vf_fn->active))
		return NULL;
	return vf_fn;
}

/**
 * simnic_hw_mbx_send - post a message to the peer and ring its doorbell
 * @fn: sending function (the PF, or a VF)
 * @vf: on the PF, the VF to send to; ignored on a VF
 * @opcode: opaque opcode
 * @retval: opaque return value
 * @buf: payload, may be NULL when @len is 0
 * @len: payload length, at most SIMNIC_MBX_MAX_LEN
 *
 * Context: process context, may sleep.
 * Return: 0, -EMSGSIZE, -ENODEV (no such VF), -ENOSPC (the peer's queue is full),
 * -EIO (the card is away for servicing).
 */
int simnic_hw_mbx_send(struct simnic_fn *fn, u16 vf, u32 opcode, s32 retval,
		       const void *buf, u16 len)
{
	struct simnic_mbx_entry *e;
	struct simnic_fn *vf_fn;
	struct list_head *head;
	u16 *count;

	might_sleep();
	if (len > SIMNIC_MBX_MAX_LEN || (len && !buf))
		return -EMSGSIZE;
	vf_fn = simnic_mbx_vf(fn, vf);
	if (!vf_fn)
		return -ENODEV;
	if (simnic_card_away(fn->card))
		return -EIO;

	e = kmalloc(offsetof(struct simnic_mbx_entry, msg.data) + len, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->msg.opcode = opcode;
	e->msg.retval = retval;
	e->msg.len = len;
	if (len)
		memcpy(e->msg.data, buf, len);

	spin_lock_bh(&vf_fn->mbx.lock);
	head = fn->is_vf ? &vf_fn->mbx.to_pf : &vf_fn->mbx.to_vf;
	count = fn->is_vf ? &vf_fn->mbx.n_to_pf : &vf_fn->mbx.n_to_vf;
	if (*count >= SIMNIC_MBX_DEPTH) {
		if (fn->is_vf)
			vf_fn->mbx.full_to_pf++;
		else
			vf_fn->mbx.full_to_vf++;
		spin_unlock_bh(&vf_fn->mbx.lock);
		kfree(e);
		return -ENOSPC;
	}
	list_add_tail(&e->list, head);
	(*count)++;
	spin_unlock_bh(&vf_fn->mbx.lock);

	simnic_fn_raise(fn->is_vf ? &fn->card->pf : vf_fn, SIMNIC_VEC_MISC,
			SIMNIC_CAUSE_MBX);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_mbx_send);

/**
 * simnic_mbx_inject - post a message to the PF as if VF @vf_fn had sent it
 * @vf_fn: the VF
 * @opcode: opaque opcode
 * @buf: payload, may be NULL when @len is 0
 * @len: payload length, at most SIMNIC_MBX_MAX_LEN
 *
 * For tests that play a hostile VF (debugfs mbx_inject): the mailbox treats the
 * message exactly as one from the VF driver, a full queue included.
 *
 * Context: process context, may sleep.
 * Return: as simnic_hw_mbx_send().
 */
int simnic_mbx_inject(struct simnic_fn *vf_fn, u32 opcode, const void *buf, u16 len)
{
	int err;

	err = simnic_hw_mbx_send(vf_fn, 0, opcode, 0, buf, len);
	if (!err) {
		spin_lock_bh(&vf_fn->mbx.lock);
		vf_fn->mbx.injected++;
		spin_unlock_bh(&vf_fn->mbx.lock);
	}
	return err;
}

/**
 * simnic_hw_mbx_recv - take the oldest message addressed to @fn
 * @fn: receiving function
 * @vf: on the PF, whose mailbox to read; ignored on a VF
 * @msg: filled with the message
 *
 * Return: 0, -EAGAIN when the queue is empty, -ENODEV when there is no such VF.
 */
int simnic_hw_mbx_recv(struct simnic_fn *fn, u16 vf, struct simnic_mbx_msg *msg)
{
	struct simnic_mbx_entry *e;
	struct simnic_fn *vf_fn;
	struct list_head *head;

	vf_fn = simnic_mbx_vf(fn, vf);
	if (!vf_fn)
		return -ENODEV;

	spin_lock_bh(&vf_fn->mbx.lock);
	head = fn->is_vf ? &vf_fn->mbx.to_vf : &vf_fn->mbx.to_pf;
	e = list_first_entry_or_null(head, struct simnic_mbx_entry, list);
	if (!e) {
		spin_unlock_bh(&vf_fn->mbx.lock);
		return -EAGAIN;
	}
	list_del(&e->list);
	if (fn->is_vf)
		vf_fn->mbx.n_to_vf--;
	else
		vf_fn->mbx.n_to_pf--;
	spin_unlock_bh(&vf_fn->mbx.lock);

	msg->opcode = e->msg.opcode;
	msg->retval = e->msg.retval;
	msg->len = e->msg.len;
	memcpy(msg->data, e->msg.data, e->msg.len);
	kfree(e);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_mbx_recv);

/**
 * simnic_mbx_take - take the oldest message to VF @vf_fn, as its driver would
 * @vf_fn: the VF, which no driver may hold
 * @msg: filled with the message
 *
 * For tests that play a VF with no driver bound (debugfs mbx_reply): the function
 * is held for the read as a driver holds it, so a probe of the VF at that moment
 * fails with -EBUSY rather than lose the message.
 *
 * Context: process context.
 * Return: as simnic_hw_mbx_recv(), or -EBUSY when a driver holds the VF.
 */
int simnic_mbx_take(struct simnic_fn *vf_fn, struct simnic_mbx_msg *msg)
{
	struct simnic_card *card = vf_fn->card;
	int err;

	spin_lock(&card->lock);
	if (vf_fn->bound) {
		spin_unlock(&card->lock);
		return -EBUSY;
	}
	vf_fn->bound = true;
	spin_unlock(&card->lock);
	err = simnic_hw_mbx_recv(vf_fn, 0, msg);
	simnic_hw_fn_put(vf_fn);
	return err;
}

/**
 * simnic_hw_mbx_pending - how many messages wait for @fn
 * @fn: receiving function
 * @vf: on the PF, whose mailbox to look at; ignored on a VF
 *
 * Return: the number of messages queued to @fn, 0 when there is no such VF.
 */
unsigned int simnic_hw_mbx_pending(struct simnic_fn *fn, u16 vf)
{
	struct simnic_fn *vf_fn;
	unsigned int n;

	vf_fn = simnic_mbx_vf(fn, vf);
	if (!vf_fn)
		return 0;
	spin_lock_bh(&vf_fn->mbx.lock);
	n = fn->is_vf ? vf_fn->mbx.n_to_vf : vf_fn->mbx.n_to_pf;
	spin_unlock_bh(&vf_fn->mbx.lock);
	return n;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_mbx_pending);
