// SPDX-License-Identifier: GPL-2.0
/* MAC filters and promiscuous modes of the VFs: the primary MAC, the unicast and
 * multicast addresses of the VF's address lists (ADD_ETH_ADDR / DEL_ETH_ADDR), the
 * per-VF limit, and CONFIG_PROMISCUOUS_MODE, which only a trusted VF may turn on.
 * A list is applied whole or not at all; adding an address the VF has and deleting
 * one it has not both succeed, so a VF that resends after a lost reply converges.
 * In switchdev mode, as ice's representor ops: no filters (lists succeed and are
 * not kept, a new primary MAC is only noted) and no promiscuous modes.
 */
#include <linux/etherdevice.h>
#include <linux/string_helpers.h>
#include "simnic_pf.h"

/* The number of MAC addresses a VF may have, its primary MAC included */
static u16 simnic_pf_mac_limit(const struct simnic_pf_vf *vf)
{
	return vf->trusted ? SIMNIC_PF_MACS_TRUSTED : SIMNIC_PF_MACS_UNTRUSTED;
}

/* Forget the VF's list and modes; the caller clears the switch */
void simnic_pf_mac_clear(struct simnic_pf_vf *vf)
{
	lockdep_assert_held(&vf->pf->lock);
	vf->num_macs = 0;
	vf->promisc_flags = 0;
}

static int simnic_pf_mac_find(const struct simnic_pf_vf *vf, const u8 *addr)
{
	u16 i;

	for (i = 0; i < vf->num_macs; i++)
		if (ether_addr_equal(vf->macs[i], addr))
			return i;
	return -1;
}

/* An address of @al before entry @n is @al's entry @n */
static bool simnic_pf_mac_add_seen(const struct virtchnl_ether_addr_list *al, u16 n)
{
	u16 i;

	for (i = 0; i < n; i++)
		if (ether_addr_equal(al->list[i].addr, al->list[n].addr))
			return true;
	return false;
}

/* The VF asks for another primary MAC: not an untrusted VF whose MAC the host set */
static enum virtchnl_status_code
simnic_pf_vc_primary_mac(struct simnic_pf_vf *vf, const u8 *addr)
{
	struct simnic_pf *pf = vf->pf;

	lockdep_assert_held(&pf->lock);
	if (vf->admin_mac && !vf->trusted) {
		dev_info_ratelimited(&pf->pdev->dev, "VF %u may not replace the MAC the host set (%pM) with %pM: not trusted\n",
				     vf->id, vf->mac, addr);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_PRIMARY_ADMIN);
	}
	if (pf->switchdev) {
		/* no filter to move: the PF only learns the VF's address */
		dev_info(&pf->pdev->dev, "VF %u MAC %pM, was %pM\n", vf->id, addr, vf->mac);
		ether_addr_copy(vf->mac, addr);
		return VIRTCHNL_STATUS_SUCCESS;
	}
	if (simnic_pf_mac_find(vf, addr) >= 0)	/* in its list already */
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_PRIMARY_LISTED);
	switch (simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, addr, true)) {
	case 0:
		break;
	case -EADDRINUSE:
		dev_info_ratelimited(&pf->pdev->dev, "VF %u may not take %pM: another function has it\n",
				     vf->id, addr);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_PRIMARY_TAKEN);
	default:
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	}
	simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, vf->mac, false);
	dev_info(&pf->pdev->dev, "VF %u MAC %pM, was %pM\n", vf->id, addr, vf->mac);
	ether_addr_copy(vf->mac, addr);
	return VIRTCHNL_STATUS_SUCCESS;
}

/* Add the addresses of @al that @vf has not, all of them or none */
static enum virtchnl_status_code
simnic_pf_mac_add_list(struct simnic_pf_vf *vf, const struct virtchnl_ether_addr_list *al)
{
	struct simnic_pf *pf = vf->pf;
	u16 i, fresh = 0, limit = simnic_pf_mac_limit(vf), had = vf->num_macs;
	const u8 *addr;
	int err;

	for (i = 0; i < al->num_elements; i++) {
		addr = al->list[i].addr;
		if (ether_addr_equal(addr, vf->mac) || simnic_pf_mac_find(vf, addr) >= 0 ||
		    simnic_pf_mac_add_seen(al, i))
			continue;
		/* as for the primary MAC: the host's MAC is the VF's only unicast one */
		if (vf->admin_mac && !vf->trusted && !is_multicast_ether_addr(addr)) {
			dev_info_ratelimited(&pf->pdev->dev, "VF %u may not add unicast address %pM: the host set its MAC and it is not trusted\n",
					     vf->id, addr);
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_UNICAST_ADMIN);
		}
		fresh++;
	}
	if (1 + had + fresh > limit) {
		dev_info_ratelimited(&pf->pdev->dev, "VF %u: cannot add %u MAC addresses to its %u: %s VF may have %u%s\n",
				     vf->id, fresh, 1 + had,
				     vf->trusted ? "a trusted" : "an untrusted", limit,
				     vf->trusted ? "" : " (trust on raises it)");
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_LIMIT);
	}
	for (i = 0; i < al->num_elements; i++) {
		addr = al->list[i].addr;
		if (ether_addr_equal(addr, vf->mac) || simnic_pf_mac_find(vf, addr) >= 0)
			continue;
		err = simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, addr, true);
		if (err)
			goto err_undo;
		ether_addr_copy(vf->macs[vf->num_macs++], addr);
	}
	return VIRTCHNL_STATUS_SUCCESS;

err_undo:
	while (vf->num_macs > had)
		simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, vf->macs[--vf->num_macs], false);
	if (err == -EADDRINUSE) {
		dev_info_ratelimited(&pf->pdev->dev, "VF %u may not add %pM: another function has it\n",
				     vf->id, addr);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_TAKEN);
	}
	dev_warn(&pf->pdev->dev, "VF %u: the switch has no room for more MAC filters\n", vf->id);
	return VIRTCHNL_STATUS_ERR_NO_MEMORY;
}

static void simnic_pf_mac_del_list(struct simnic_pf_vf *vf,
				   const struct virtchnl_ether_addr_list *al)
{
	struct simnic_pf *pf = vf->pf;
	int at;
	u16 i;

	for (i = 0; i < al->num_elements; i++) {
		at = simnic_pf_mac_find(vf, al->list[i].addr);
		if (at < 0)
			continue;	/* the primary MAC, or gone already */
		simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, vf->macs[at], false);
		ether_addr_copy(vf->macs[at], vf->macs[--vf->num_macs]);
	}
}

enum virtchnl_status_code
simnic_pf_vc_eth_addr(struct simnic_pf_vf *vf, u8 *msg, bool add)
{
	struct virtchnl_ether_addr_list *al = (void *)msg;
	const u8 *addr;
	u16 i;

	lockdep_assert_held(&vf->pf->lock);
	if (!simnic_pf_vsi_ok(vf, al->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_VSI);
	for (i = 0; i < al->num_elements; i++) {
		addr = al->list[i].addr;
		if (is_zero_ether_addr(addr) || is_broadcast_ether_addr(addr))
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_ADDR);
	}
	if (!add) {
		simnic_pf_mac_del_list(vf, al);
		return VIRTCHNL_STATUS_SUCCESS;
	}
	/* A new primary MAC comes alone in its message */
	addr = al->list[0].addr;
	if (al->num_elements == 1 && al->list[0].type == VIRTCHNL_ETHER_ADDR_PRIMARY &&
	    !ether_addr_equal(addr, vf->mac)) {
		if (is_multicast_ether_addr(addr))
			return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_MAC_PRIMARY_MCAST);
		return simnic_pf_vc_primary_mac(vf, addr);
	}
	/* switchdev mode: no MAC filters, the representor takes every address
	 * (ice_vc_repr_add_mac())
	 */
	if (vf->pf->switchdev)
		return VIRTCHNL_STATUS_SUCCESS;
	return simnic_pf_mac_add_list(vf, al);
}

/* Unicast and multicast promiscuous mode: only for a trusted VF */
enum virtchnl_status_code simnic_pf_vc_promisc(struct simnic_pf_vf *vf, u8 *msg)
{
	struct virtchnl_promisc_info *pi = (void *)msg;
	struct simnic_pf *pf = vf->pf;
	u16 flags;

	lockdep_assert_held(&pf->lock);
	flags = pi->flags & (FLAG_VF_UNICAST_PROMISC | FLAG_VF_MULTICAST_PROMISC);
	if (!simnic_pf_vsi_ok(vf, pi->vsi_id))
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_PROMISC_VSI);
	if (flags != pi->flags)
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_PROMISC_FLAGS);
	/* as ice_vc_repr_cfg_promiscuous_mode(): the representor sees it all anyway */
	if (pf->switchdev) {
		dev_info_ratelimited(&pf->pdev->dev, "VF %u: promiscuous modes are not supported in switchdev mode: its representor gets every frame it sends, and it every frame its representor sends\n",
				     vf->id);
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_PROMISC_SWITCHDEV);
	}
	if (flags && !vf->trusted) {
		dev_info_ratelimited(&pf->pdev->dev, "VF %u: %s mode refused: the VF is not trusted\n",
				     vf->id, flags & FLAG_VF_UNICAST_PROMISC ?
				     "promiscuous" : "all-multicast");
		return simnic_pf_vc_refuse(vf, SIMNIC_PF_REFUSE_PROMISC_UNTRUSTED);
	}
	if (flags != vf->promisc_flags)
		dev_info(&pf->pdev->dev, "VF %u: promiscuous %s, all-multicast %s\n", vf->id,
			 str_on_off(flags & FLAG_VF_UNICAST_PROMISC),
			 str_on_off(flags & FLAG_VF_MULTICAST_PROMISC));
	vf->promisc_flags = flags;
	simnic_hw_pf_set_promisc(pf->fn, vf->fn, flags & FLAG_VF_UNICAST_PROMISC,
				 flags & FLAG_VF_MULTICAST_PROMISC);
	return VIRTCHNL_STATUS_SUCCESS;
}
