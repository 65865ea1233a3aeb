// SPDX-License-Identifier: GPL-2.0
/* The netdev's unicast and multicast address lists and its promiscuous modes, kept in
 * step with the PF. ndo_set_rx_mode runs in atomic context under the address lock: it
 * only flags the change; the watchdog compares the lists with what the PF has and
 * sends the difference, one request in flight at a time as for VLANs:
 *
 *   ADD -> ADDING -> ACTIVE -> REMOVE -> REMOVING -> freed
 *              \-> REFUSED (the PF's limit: tried again when room is made, or reset)
 *
 * A batch the PF refuses whole is split, so as many addresses as fit are added.
 */
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include "simnic_vf.h"

#define SIMNIC_VF_ADDR_BATCH	32	/* addresses per message */
#define SIMNIC_VF_PROMISC_NONE	U16_MAX	/* no promiscuous request refused */

struct simnic_vf_addr {
	struct list_head list;		/* in vf->addr.list */
	u8 addr[ETH_ALEN];
	enum simnic_vf_addr_state state;
	bool wanted;			/* in the netdev's lists; decides where replies lead */
	bool warned;			/* its refusal was logged: once is enough */
};

const char *simnic_vf_addr_state_name(enum simnic_vf_addr_state state)
{
	static const char * const names[] = {
		[SIMNIC_ADDR_ADD] = "add",
		[SIMNIC_ADDR_ADDING] = "adding",
		[SIMNIC_ADDR_ACTIVE] = "active",
		[SIMNIC_ADDR_REFUSED] = "refused",
		[SIMNIC_ADDR_REMOVE] = "remove",
		[SIMNIC_ADDR_REMOVING] = "removing",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

void simnic_vf_set_rx_mode(struct net_device *netdev)
{
	struct simnic_vf *vf = netdev->ml_priv;

	set_bit(SIMNIC_VF_RX_MODE_CHANGED, &vf->addr.rx_mode_req);
	simnic_vf_kick(vf);
}

static struct simnic_vf_addr *simnic_vf_addr_find(struct simnic_vf *vf, const u8 *addr)
{
	struct simnic_vf_addr *f;

	list_for_each_entry(f, &vf->addr.list, list)
		if (ether_addr_equal(f->addr, addr))
			return f;
	return NULL;
}

static void simnic_vf_addr_free(struct simnic_vf_addr *f)
{
	list_del(&f->list);
	kfree(f);
}

/* Queue what is to be sent: adds, removals and the promiscuous modes */
static void simnic_vf_addr_queue(struct simnic_vf *vf)
{
	struct simnic_vf_addr *f;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(f, &vf->addr.list, list) {
		if (f->state == SIMNIC_ADDR_ADD)
			set_bit(SIMNIC_VF_AQ_ADD_ADDRS, &vf->vc.aq_required);
		else if (f->state == SIMNIC_ADDR_REMOVE)
			set_bit(SIMNIC_VF_AQ_DEL_ADDRS, &vf->vc.aq_required);
	}
	if (vf->addr.promisc_want == vf->addr.promisc_have)
		vf->addr.promisc_refused = SIMNIC_VF_PROMISC_NONE;
	else if (vf->addr.promisc_want != vf->addr.promisc_refused)
		set_bit(SIMNIC_VF_AQ_PROMISC, &vf->vc.aq_required);
}

/* The netdev's lists changed: mark what the PF must add and remove */
void simnic_vf_addr_sync(struct simnic_vf *vf)
{
	struct net_device *netdev = vf->netdev;
	struct simnic_vf_addr *f, *tmp;
	struct netdev_hw_addr *ha;
	unsigned int n, i = 0;
	u8 (*snap)[ETH_ALEN];
	unsigned int flags;

	lockdep_assert_held(&vf->lock);
	if (!test_and_clear_bit(SIMNIC_VF_RX_MODE_CHANGED, &vf->addr.rx_mode_req))
		return;

	netif_addr_lock_bh(netdev);
	n = netdev_uc_count(netdev) + netdev_mc_count(netdev);
	snap = kmalloc_array(max(n, 1U), ETH_ALEN, GFP_ATOMIC);
	if (snap) {
		netdev_for_each_uc_addr(ha, netdev)
			ether_addr_copy(snap[i++], ha->addr);
		netdev_for_each_mc_addr(ha, netdev)
			ether_addr_copy(snap[i++], ha->addr);
	}
	flags = netdev->flags;
	netif_addr_unlock_bh(netdev);
	if (!snap)
		goto err_again;

	list_for_each_entry(f, &vf->addr.list, list)
		f->wanted = false;
	for (i = 0; i < n; i++) {
		f = simnic_vf_addr_find(vf, snap[i]);
		if (!f) {
			f = kzalloc(sizeof(*f), GFP_KERNEL);
			if (!f)
				goto err_free;
			ether_addr_copy(f->addr, snap[i]);
			f->state = SIMNIC_ADDR_ADD;
			list_add_tail(&f->list, &vf->addr.list);
		} else if (f->state == SIMNIC_ADDR_REMOVE) {
			f->state = SIMNIC_ADDR_ACTIVE;
		}
		f->wanted = true;
	}
	kfree(snap);
	list_for_each_entry_safe(f, tmp, &vf->addr.list, list) {
		if (f->wanted)
			continue;
		if (f->state == SIMNIC_ADDR_ADD || f->state == SIMNIC_ADDR_REFUSED)
			simnic_vf_addr_free(f);
		else if (f->state == SIMNIC_ADDR_ACTIVE)
			f->state = SIMNIC_ADDR_REMOVE;
		/* in flight: the reply decides */
	}
	vf->addr.promisc_want = 0;
	if (flags & IFF_PROMISC)
		vf->addr.promisc_want = FLAG_VF_UNICAST_PROMISC | FLAG_VF_MULTICAST_PROMISC;
	if (flags & IFF_ALLMULTI)
		vf->addr.promisc_want |= FLAG_VF_MULTICAST_PROMISC;
	simnic_vf_addr_queue(vf);
	return;

err_free:
	kfree(snap);
	/* not all were marked: keep everything until the next run looks again */
	list_for_each_entry(f, &vf->addr.list, list)
		f->wanted = true;
err_again:
	set_bit(SIMNIC_VF_RX_MODE_CHANGED, &vf->addr.rx_mode_req);
}

/* Send up to a batch of the addresses in state @from as ADD or DEL_ETH_ADDR */
int simnic_vf_addr_send(struct simnic_vf *vf, bool add)
{
	enum simnic_vf_addr_state from = add ? SIMNIC_ADDR_ADD : SIMNIC_ADDR_REMOVE;
	enum simnic_vf_addr_state to = add ? SIMNIC_ADDR_ADDING : SIMNIC_ADDR_REMOVING;
	u16 max = add && vf->addr.one_by_one ? 1 : SIMNIC_VF_ADDR_BATCH, n = 0;
	struct virtchnl_ether_addr_list *al;
	struct simnic_vf_addr *f;
	size_t len;
	int err;

	lockdep_assert_held(&vf->lock);
	len = simnic_vc_size(al, list, max);
	al = kzalloc(len, GFP_KERNEL);
	if (!al)
		return -ENOMEM;
	al->vsi_id = vf->vc.vsi_id;
	list_for_each_entry(f, &vf->addr.list, list) {
		if (f->state != from)
			continue;
		if (n == max)
			break;
		ether_addr_copy(al->list[n].addr, f->addr);
		al->list[n++].type = VIRTCHNL_ETHER_ADDR_EXTRA;
	}
	if (!n) {
		kfree(al);
		return 0;	/* nothing left: the bit is cleared */
	}
	al->num_elements = n;
	err = simnic_vf_send(vf, add ? VIRTCHNL_OP_ADD_ETH_ADDR : VIRTCHNL_OP_DEL_ETH_ADDR, al,
			     simnic_vc_size(al, list, n));
	kfree(al);
	if (err)
		return err;
	n = 0;
	list_for_each_entry(f, &vf->addr.list, list) {
		if (f->state != from)
			continue;
		if (n++ == max)
			break;
		f->state = to;
	}
	vf->addr.sent = true;
	vf->addr.batch = min(n, max);
	return 0;	/* the reply queues what is left */
}

/* Tell the user why the PF refused @f, and what the host can do */
static void simnic_vf_addr_refused(struct simnic_vf *vf, struct simnic_vf_addr *f, int status)
{
	struct net_device *netdev = vf->netdev;

	switch (status) {
	case VIRTCHNL_STATUS_ERR_NO_MEMORY:
		netdev_warn(netdev, "the PF refused address %pM: an untrusted VF may have 18 MAC addresses; the host can lift the limit by trusting this VF (ip link set PF vf N trust on)\n",
			    f->addr);
		break;
	case VIRTCHNL_STATUS_ERR_NOT_SUPPORTED:
		netdev_warn(netdev, "the PF refused address %pM: the host set this VF's MAC, and an untrusted VF may have no other unicast address; the host can trust it (ip link set PF vf N trust on)\n",
			    f->addr);
		break;
	default:
		netdev_warn(netdev, "the PF refused address %pM (status %d): another function may have it, see the PF's log\n",
			    f->addr, status);
		break;
	}
}

/* The answer to an ADD_ETH_ADDR or DEL_ETH_ADDR of the lists */
void simnic_vf_addr_reply(struct simnic_vf *vf, u32 op, int status)
{
	struct device *dev = &vf->pdev->dev;
	struct simnic_vf_addr *f, *tmp;
	bool refused = false;

	lockdep_assert_held(&vf->lock);
	vf->addr.sent = false;
	list_for_each_entry_safe(f, tmp, &vf->addr.list, list) {
		if (op == VIRTCHNL_OP_DEL_ETH_ADDR) {
			if (f->state == SIMNIC_ADDR_REFUSED && !status)
				f->state = SIMNIC_ADDR_ADD;	/* room was made */
			if (f->state != SIMNIC_ADDR_REMOVING)
				continue;
			if (f->wanted)
				f->state = SIMNIC_ADDR_ADD;
			else
				simnic_vf_addr_free(f);
			continue;
		}
		if (f->state != SIMNIC_ADDR_ADDING)
			continue;
		if (!status) {
			f->state = f->wanted ? SIMNIC_ADDR_ACTIVE : SIMNIC_ADDR_REMOVE;
		} else if (!f->wanted) {
			simnic_vf_addr_free(f);
		} else if (vf->addr.batch > 1) {
			f->state = SIMNIC_ADDR_ADD;	/* again, one by one */
			vf->addr.one_by_one = true;
		} else {
			f->state = SIMNIC_ADDR_REFUSED;
			vf->addr.refused++;
			refused = true;
			if (!f->warned)
				simnic_vf_addr_refused(vf, f, status);
			f->warned = true;
		}
	}
	if (status && op == VIRTCHNL_OP_DEL_ETH_ADDR)
		dev_warn(dev, "the PF refused to remove addresses: %d\n", status);
	if (refused)
		dev_dbg(dev, "%llu addresses refused so far\n", vf->addr.refused);
	simnic_vf_addr_queue(vf);
}

/* No answer in time: send the batch again */
void simnic_vf_addr_timeout(struct simnic_vf *vf)
{
	struct simnic_vf_addr *f;

	lockdep_assert_held(&vf->lock);
	vf->addr.sent = false;
	list_for_each_entry(f, &vf->addr.list, list) {
		if (f->state == SIMNIC_ADDR_ADDING)
			f->state = SIMNIC_ADDR_ADD;
		else if (f->state == SIMNIC_ADDR_REMOVING)
			f->state = SIMNIC_ADDR_REMOVE;
	}
	simnic_vf_addr_queue(vf);
}

int simnic_vf_promisc_send(struct simnic_vf *vf)
{
	struct virtchnl_promisc_info pi = {
		.vsi_id = vf->vc.vsi_id,
		.flags = vf->addr.promisc_want,
	};
	int err;

	lockdep_assert_held(&vf->lock);
	if (vf->addr.promisc_want == vf->addr.promisc_have)
		return 0;
	err = simnic_vf_send(vf, VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE, &pi, sizeof(pi));
	if (!err)
		vf->addr.promisc_sent = vf->addr.promisc_want;
	return err;
}

void simnic_vf_promisc_reply(struct simnic_vf *vf, int status)
{
	const char *mode;

	lockdep_assert_held(&vf->lock);
	if (!status) {
		vf->addr.promisc_have = vf->addr.promisc_sent;
	} else {
		vf->addr.promisc_refused = vf->addr.promisc_sent;
		/* once per mode wanted: not asked again until the netdev wants another */
		mode = vf->addr.promisc_sent & FLAG_VF_UNICAST_PROMISC ? "promiscuous" :
									 "all-multicast";
		if (vf->vlan.proto == SIMNIC_VF_VLAN_OFF)
			netdev_warn(vf->netdev, "the PF refused %s mode (status %d): the PF offers no VLAN capability either, as in switchdev mode, where the representor takes every frame the VF sends and the VF every frame sent on the representor\n",
				    mode, status);
		else
			netdev_warn(vf->netdev, "the PF refused %s mode (status %d): only a trusted VF may have it; the host can trust this VF (ip link set PF vf N trust on)\n",
				    mode, status);
	}
	simnic_vf_addr_queue(vf);
}

/* Reset: the PF has forgotten the lists and modes; send what the netdev wants again */
void simnic_vf_addr_reset(struct simnic_vf *vf)
{
	struct simnic_vf_addr *f, *tmp;

	lockdep_assert_held(&vf->lock);
	vf->addr.sent = false;
	vf->addr.one_by_one = false;
	list_for_each_entry_safe(f, tmp, &vf->addr.list, list) {
		if (f->wanted)
			f->state = SIMNIC_ADDR_ADD;
		else
			simnic_vf_addr_free(f);
	}
	vf->addr.promisc_have = 0;
	vf->addr.promisc_refused = SIMNIC_VF_PROMISC_NONE;
	simnic_vf_addr_queue(vf);
}

void simnic_vf_addr_free_all(struct simnic_vf *vf)
{
	struct simnic_vf_addr *f, *tmp;

	list_for_each_entry_safe(f, tmp, &vf->addr.list, list)
		simnic_vf_addr_free(f);
}

void simnic_vf_addr_show(struct simnic_vf *vf, struct seq_file *s)
{
	struct simnic_vf_addr *f;

	lockdep_assert_held(&vf->lock);
	list_for_each_entry(f, &vf->addr.list, list)
		seq_printf(s, "%pM %s\n", f->addr, simnic_vf_addr_state_name(f->state));
}
