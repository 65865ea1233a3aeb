// SPDX-License-Identifier: GPL-2.0
/* PCI functions of a card: binding, interrupts, the misc cause register, VF reset
 * status and the VF side of a function-level reset.
 */
#include <linux/etherdevice.h>
#include <linux/export.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "simnic_hw.h"

void simnic_fn_init(struct simnic_card *card, struct simnic_fn *fn, bool is_vf,
		    u16 vf_id)
{
	u16 q;

	fn->card = card;
	fn->is_vf = is_vf;
	fn->vf_id = vf_id;
	fn->active = !is_vf;
	spin_lock_init(&fn->irq_lock);
	spin_lock_init(&fn->tx_lock);
	for (q = 0; q < SIMNIC_MAX_QUEUES; q++) {
		spin_lock_init(&fn->rxq[q].lock);
		skb_queue_head_init(&fn->rxq[q].frames);
		fn->rxq[q].ring_len = SIMNIC_RING_DEFAULT;
	}
	simnic_txq_init(fn);
	simnic_mbx_init(&fn->mbx);
	atomic_set(&fn->rstat, SIMNIC_VFR_INPROGRESS);
}

/* Back to power-on state, but for interrupt handlers, which belong to the driver, and
 * messages already posted to the function (see simnic_mbx_purge())
 */
void simnic_fn_reset(struct simnic_fn *fn)
{
	u16 q;

	for (q = 0; q < SIMNIC_MAX_QUEUES; q++) {
		simnic_txq_purge(fn, q);
		simnic_rxq_purge(fn, q);
	}
	simnic_mbx_purge(&fn->mbx, false);
	atomic_set(&fn->misc_cause, 0);
	WRITE_ONCE(fn->vlan_strip, false);
	WRITE_ONCE(fn->vlan_insert, false);
}

void simnic_fn_destroy(struct simnic_fn *fn)
{
	struct simnic_mac_filters *macs;
	struct simnic_rss *rss;
	unsigned int vec;

	simnic_fn_reset(fn);
	hrtimer_cancel(&fn->tx_timer);	/* no queue is enabled: nothing starts it */
	simnic_mbx_purge(&fn->mbx, true);
	for (vec = 0; vec < SIMNIC_MAX_VECTORS; vec++)
		WARN_ON(rcu_access_pointer(fn->irqs[vec]));
	macs = rcu_replace_pointer(fn->macs, NULL, true);
	kfree_rcu(macs, rcu);
	rss = rcu_replace_pointer(fn->rss, NULL, true);
	kfree_rcu(rss, rcu);
}

/* Latch @cause (if any) and fire vector @vec of @fn, as an interrupt would */
void simnic_fn_raise(struct simnic_fn *fn, unsigned int vec, u32 cause)
{
	struct simnic_irq *irq;

	if (cause)
		atomic_or(cause, &fn->misc_cause);
	local_bh_disable();
	rcu_read_lock();
	irq = rcu_dereference(fn->irqs[vec]);
	if (irq)
		irq->handler(irq->data);
	rcu_read_unlock();
	local_bh_enable();
}

struct simnic_fn *simnic_hw_fn_get(struct pci_dev *pdev)
{
	struct simnic_card *card;
	struct simnic_fn *fn;
	u16 rid;

	if (!simnic_pci_bus_is_ours(pdev->bus))
		return ERR_PTR(-ENODEV);
	card = container_of(pdev->bus->sysdata, struct simnic_card, sd);
	rid = pci_dev_id(pdev);	/* VF N's is N + 1 (simnic_hw_pci.c) */
	if (rid == 0)
		fn = &card->pf;
	else if (rid <= card->total_vfs)
		fn = &card->vfs[rid - 1];
	else
		return ERR_PTR(-ENODEV);

	spin_lock(&card->lock);
	if (fn->bound) {
		spin_unlock(&card->lock);
		return ERR_PTR(-EBUSY);
	}
	fn->bound = true;
	spin_unlock(&card->lock);
	return fn;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fn_get);

void simnic_hw_fn_put(struct simnic_fn *fn)
{
	spin_lock(&fn->card->lock);
	fn->bound = false;
	spin_unlock(&fn->card->lock);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fn_put);

bool simnic_hw_fn_is_vf(const struct simnic_fn *fn)
{
	return fn->is_vf;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fn_is_vf);

u16 simnic_hw_fn_vf_id(const struct simnic_fn *fn)
{
	return fn->vf_id;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fn_vf_id);

void simnic_hw_perm_addr(const struct simnic_fn *fn, u8 *addr)
{
	ether_addr_copy(addr, fn->card->perm_addr);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_perm_addr);

u32 simnic_hw_fw_version(const struct simnic_fn *fn)
{
	return SIMNIC_HW_FW_VERSION;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_fw_version);

u32 simnic_hw_link_speed_mbps(const struct simnic_fn *fn)
{
	return READ_ONCE(fn->card->link_speed);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_link_speed_mbps);

bool simnic_hw_link_up(const struct simnic_fn *fn)
{
	return READ_ONCE(fn->card->link_up);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_link_up);

struct simnic_fn *simnic_hw_pf_vf_fn(struct simnic_fn *pf, u16 vf)
{
	if (WARN_ON(pf->is_vf) || vf >= pf->card->total_vfs)
		return NULL;
	return &pf->card->vfs[vf];
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_vf_fn);

int simnic_hw_request_irq(struct simnic_fn *fn, unsigned int vec,
			  simnic_irq_handler_t handler, void *data)
{
	struct simnic_irq *irq;

	if (vec >= SIMNIC_MAX_VECTORS || !handler)
		return -EINVAL;
	irq = kzalloc(sizeof(*irq), GFP_KERNEL);
	if (!irq)
		return -ENOMEM;
	irq->handler = handler;
	irq->data = data;

	spin_lock(&fn->irq_lock);
	if (rcu_access_pointer(fn->irqs[vec])) {
		spin_unlock(&fn->irq_lock);
		kfree(irq);
		return -EBUSY;
	}
	rcu_assign_pointer(fn->irqs[vec], irq);
	spin_unlock(&fn->irq_lock);
	return 0;
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_request_irq);

/* Like free_irq(): when it returns, the handler is not running and will not run */
void simnic_hw_free_irq(struct simnic_fn *fn, unsigned int vec)
{
	struct simnic_irq *irq;

	might_sleep();
	if (WARN_ON(vec >= SIMNIC_MAX_VECTORS))
		return;
	spin_lock(&fn->irq_lock);
	irq = rcu_replace_pointer(fn->irqs[vec], NULL, lockdep_is_held(&fn->irq_lock));
	spin_unlock(&fn->irq_lock);
	if (!irq)
		return;
	/* A handler still running may use its data, which the caller frees next:
	 * wait for it, as free_irq() does. An expedited grace period, as
	 * synchronize_net() takes under RTNL: a normal one is some 16 ms under TCG,
	 * once per VF when 64 VFs go.
	 */
	synchronize_rcu_expedited();
	kfree(irq);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_free_irq);

u32 simnic_hw_misc_cause(struct simnic_fn *fn)
{
	return atomic_xchg(&fn->misc_cause, 0);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_misc_cause);

enum simnic_vfr_state simnic_hw_vf_rstat(struct simnic_fn *vf_fn)
{
	return atomic_read(&vf_fn->rstat);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_vf_rstat);

void simnic_hw_pf_set_vf_rstat(struct simnic_fn *pf, u16 vf,
			       enum simnic_vfr_state state)
{
	struct simnic_fn *vf_fn = simnic_hw_pf_vf_fn(pf, vf);

	/* a card away keeps its VFs in reset until the PF rebuilds them */
	if (vf_fn && !simnic_card_away(pf->card))
		atomic_set(&vf_fn->rstat, state);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_set_vf_rstat);

/* The PF resets one of its VFs (VPGEN_VFRTRIG): queues and mailbox go back to idle */
void simnic_hw_pf_reset_vf(struct simnic_fn *pf, u16 vf)
{
	struct simnic_fn *vf_fn = simnic_hw_pf_vf_fn(pf, vf);

	if (!vf_fn)
		return;
	atomic_set(&vf_fn->rstat, SIMNIC_VFR_INPROGRESS);
	simnic_fn_reset(vf_fn);
	atomic_inc(&vf_fn->resets);
	simnic_fn_raise(vf_fn, SIMNIC_VEC_MISC, SIMNIC_CAUSE_RESET);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_reset_vf);

u32 simnic_hw_vf_reset_count(struct simnic_fn *vf_fn)
{
	return atomic_read(&vf_fn->resets);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_vf_reset_count);

bool simnic_hw_pf_vflr_test_and_clear(struct simnic_fn *pf, u16 vf)
{
	if (WARN_ON(pf->is_vf) || vf >= pf->card->total_vfs)
		return false;
	return test_and_clear_bit(vf, pf->card->vflr_latched);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_vflr_test_and_clear);

void simnic_hw_pf_flr_wait(struct simnic_fn *pf)
{
	might_sleep();
	if (!WARN_ON(pf->is_vf))
		flush_work(&pf->card->vflr_work);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_pf_flr_wait);

/* The VF side of an FLR, deferred from the config write: reset, then tell the PF */
void simnic_vflr_work(struct work_struct *work)
{
	struct simnic_card *card = container_of(work, struct simnic_card, vflr_work);
	bool any = false;
	u16 vf;

	for (vf = 0; vf < card->total_vfs; vf++) {
		if (!test_and_clear_bit(vf, card->vflr_pending))
			continue;
		atomic_set(&card->vfs[vf].rstat, SIMNIC_VFR_INPROGRESS);
		simnic_fn_reset(&card->vfs[vf]);
		simnic_fn_raise(&card->vfs[vf], SIMNIC_VEC_MISC, SIMNIC_CAUSE_RESET);
		set_bit(vf, card->vflr_latched);
		any = true;
	}
	if (any)
		simnic_fn_raise(&card->pf, SIMNIC_VEC_MISC, SIMNIC_CAUSE_VFLR);
}
