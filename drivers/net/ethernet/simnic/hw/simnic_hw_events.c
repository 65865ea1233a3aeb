// SPDX-License-Identifier: GPL-2.0
/* Events the card raises on its own, for tests to drive from debugfs: the physical
 * link going down and up, servicing (the card goes away for a while and comes back
 * blank) and VF reconfiguration.
 */
#include <linux/export.h>
#include "simnic_hw.h"

bool simnic_card_away(const struct simnic_card *card)
{
	return test_bit(SIMNIC_CARD_AWAY, &card->flags);
}

bool simnic_hw_ready(const struct simnic_fn *fn)
{
	return !simnic_card_away(fn->card);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_ready);

u32 simnic_hw_service_count(const struct simnic_fn *fn)
{
	return atomic_read(&fn->card->services);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_service_count);

u32 simnic_hw_vf_reconfig_count(const struct simnic_fn *vf_fn)
{
	return atomic_read(&vf_fn->reconfigs);
}
EXPORT_SYMBOL_SIMNIC_HW(simnic_hw_vf_reconfig_count);

/* The cable: the PF driver learns of it from SIMNIC_CAUSE_LINK and tells its VFs */
void simnic_card_set_link(struct simnic_card *card, bool up)
{
	if (READ_ONCE(card->link_up) == up)
		return;
	WRITE_ONCE(card->link_up, up);
	pr_info("simnic_hw: card %u: link %s\n", card->id, up ? "up" : "down");
	simnic_fn_raise(&card->pf, SIMNIC_VEC_MISC, SIMNIC_CAUSE_LINK);
}

/* Everything the PF programmed is gone: queues, mailboxes, switch tables */
static void simnic_card_blank(struct simnic_card *card, struct simnic_fn *fn)
{
	simnic_fn_reset(fn);
	simnic_mbx_purge(&fn->mbx, true);
	simnic_hw_pf_clear_filters(&card->pf, fn);
	simnic_hw_pf_set_spoofchk(&card->pf, fn, false);
	simnic_hw_pf_set_port_vlan(&card->pf, fn, 0, 0);
}

/**
 * simnic_card_service - take the card away for servicing
 * @card: the card
 * @ms: how long it stays away
 *
 * The VFs go with it: each enabled one is reset now and stays in reset until the PF
 * driver, once the card is back, programs it again.
 *
 * Return: 0, -ERANGE for a bad @ms, -EBUSY if the card is away already.
 */
int simnic_card_service(struct simnic_card *card, unsigned int ms)
{
	struct simnic_fn *fn;
	u16 vf;

	if (!ms || ms > SIMNIC_SERVICE_MAX_MS)
		return -ERANGE;
	if (test_and_set_bit(SIMNIC_CARD_AWAY, &card->flags))
		return -EBUSY;
	atomic_inc(&card->services);
	pr_info("simnic_hw: card %u: servicing, away for %u ms\n", card->id, ms);
	simnic_card_blank(card, &card->pf);
	for (vf = 0; vf < card->total_vfs; vf++) {
		fn = &card->vfs[vf];
		atomic_set(&fn->rstat, SIMNIC_VFR_INPROGRESS);
		simnic_card_blank(card, fn);
		if (!READ_ONCE(fn->active))
			continue;
		atomic_inc(&fn->resets);
		simnic_fn_raise(fn, SIMNIC_VEC_MISC, SIMNIC_CAUSE_RESET);
	}
	simnic_fn_raise(&card->pf, SIMNIC_VEC_MISC, SIMNIC_CAUSE_SERVICE);
	schedule_delayed_work(&card->service_work, msecs_to_jiffies(ms));
	return 0;
}

/**
 * simnic_card_service_end - the card comes back from its servicing now
 * @card: the card
 *
 * For tests that need the card away for as long as they take and no longer: they
 * start a long servicing and end it here.
 *
 * Return: 0, or -EALREADY if the card is not away (or is coming back already).
 */
int simnic_card_service_end(struct simnic_card *card)
{
	/* pending means away and not back yet: the AWAY bit keeps any new servicing
	 * from starting until the work has run
	 */
	if (!cancel_delayed_work(&card->service_work))
		return -EALREADY;
	schedule_delayed_work(&card->service_work, 0);
	return 0;
}

void simnic_service_work(struct work_struct *work)
{
	struct simnic_card *card = container_of(to_delayed_work(work),
						struct simnic_card, service_work);

	clear_bit(SIMNIC_CARD_AWAY, &card->flags);
	pr_info("simnic_hw: card %u: back from servicing\n", card->id);
	simnic_fn_raise(&card->pf, SIMNIC_VEC_MISC, SIMNIC_CAUSE_SERVICE);
}

/**
 * simnic_fn_reconfig_event - raise a reconfiguration event on a VF
 * @fn: the VF
 *
 * The device resets the VF as an FLR does (the PF sees a VFLR) and counts the event.
 *
 * Return: 0, or -ENODEV if the VF is not enabled.
 */
int simnic_fn_reconfig_event(struct simnic_fn *fn)
{
	struct simnic_card *card = fn->card;

	if (!fn->is_vf || !READ_ONCE(fn->active))
		return -ENODEV;
	atomic_inc(&fn->reconfigs);
	atomic_set(&fn->rstat, SIMNIC_VFR_INPROGRESS);
	atomic_inc(&fn->resets);
	set_bit(fn->vf_id, card->vflr_pending);
	queue_work(system_wq, &card->vflr_work);
	simnic_fn_raise(fn, SIMNIC_VEC_MISC, SIMNIC_CAUSE_RECONFIG);
	return 0;
}
