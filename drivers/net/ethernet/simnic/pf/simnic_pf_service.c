// SPDX-License-Identifier: GPL-2.0
/* Servicing of the card (a firmware update, as MANA's service events): when the card
 * goes away the PF quiesces itself and its VFs' PF side; when it is back, blank, the
 * PF programs itself again and rebuilds every VF, which then renegotiates.
 */
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include "simnic_pf.h"

static void simnic_pf_service_quiesce(struct simnic_pf *pf)
{
	u16 i;

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
		for (i = 0; i < pf->num_vfs; i++) {
			pf->vfs[i].state = SIMNIC_VF_STATE_RESET;
			simnic_pf_vc_allowlist_set(&pf->vfs[i]);
			simnic_pf_replies_on_reset(&pf->vfs[i]);
		}
	}
	dev_warn(&pf->pdev->dev, "device servicing: PF and %u VFs quiesced until it is back\n",
		 pf->num_vfs);
	mutex_unlock(&pf->lock);
}

static void simnic_pf_service_rebuild(struct simnic_pf *pf)
{
	unsigned int ms;
	u16 i;

	rtnl_lock();
	if (simnic_hw_pf_set_mac_filter(pf->fn, pf->fn, pf->netdev->dev_addr, true))
		dev_warn(&pf->pdev->dev, "cannot program the PF's MAC after servicing\n");
	if (netif_running(pf->netdev))
		simnic_pf_queue_start(pf);
	rtnl_unlock();

	mutex_lock(&pf->lock);
	pf->in_service = false;
	pf->link_up = simnic_hw_link_up(pf->fn);
	for (i = 0; i < pf->num_vfs; i++) {
		/* the device reset them all: an FLR latched meanwhile is the same reset */
		simnic_hw_pf_vflr_test_and_clear(pf->fn, i);
		simnic_pf_reset_vf(&pf->vfs[i], SIMNIC_PF_RESET_VFLR);
	}
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

/* What the administrator asked for must wait until the card is back */
bool simnic_pf_busy(struct simnic_pf *pf)
{
	lockdep_assert_held(&pf->lock);
	if (!pf->in_service)
		return false;
	dev_err(&pf->pdev->dev, "the device is being serviced: try again when it is back\n");
	return true;
}
