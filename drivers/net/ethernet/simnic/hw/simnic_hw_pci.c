// SPDX-License-Identifier: GPL-2.0
/* The card's PCI side: a private PCI domain per card whose only device is the PF, with a
 * PCIe capability (FLR) and an SR-IOV extended capability, config space in memory. The
 * PCI core creates the VF functions itself when the PF driver enables SR-IOV.
 */
#include <linux/pci.h>
#include "simnic_hw.h"

static void simnic_put16(u8 *c, int off, u16 val)
{
	*(__le16 *)(c + off) = cpu_to_le16(val);
}

static void simnic_put32(u8 *c, int off, u32 val)
{
	*(__le32 *)(c + off) = cpu_to_le32(val);
}

static u16 simnic_get16(const u8 *c, int off)
{
	return le16_to_cpu(*(const __le16 *)(c + off));
}

static u32 simnic_get32(const u8 *c, int off)
{
	return le32_to_cpu(*(const __le32 *)(c + off));
}

static void simnic_cfg_init_fn(u8 *c, bool vf, u16 total_vfs)
{
	memset(c, 0, SIMNIC_CFG_SIZE);
	/* A VF's vendor and device ID read as all ones, as the SR-IOV spec says */
	simnic_put16(c, PCI_VENDOR_ID, vf ? 0xffff : SIMNIC_PCI_VENDOR_ID);
	simnic_put16(c, PCI_DEVICE_ID, vf ? 0xffff : SIMNIC_PF_DEVICE_ID);
	simnic_put16(c, PCI_STATUS, PCI_STATUS_CAP_LIST);
	simnic_put32(c, PCI_CLASS_REVISION, (PCI_CLASS_NETWORK_ETHERNET << 16) | 1);
	simnic_put16(c, PCI_SUBSYSTEM_VENDOR_ID, SIMNIC_PCI_VENDOR_ID);
	simnic_put16(c, PCI_SUBSYSTEM_ID, vf ? SIMNIC_VF_DEVICE_ID : SIMNIC_PF_DEVICE_ID);
	c[PCI_CAPABILITY_LIST] = SIMNIC_CFG_EXP_POS;

	c[SIMNIC_CFG_EXP_POS + PCI_CAP_LIST_ID] = PCI_CAP_ID_EXP;
	c[SIMNIC_CFG_EXP_POS + PCI_CAP_LIST_NEXT] = 0;
	simnic_put16(c, SIMNIC_CFG_EXP_POS + PCI_EXP_FLAGS,
		     2 | (PCI_EXP_TYPE_ENDPOINT << 4));
	simnic_put32(c, SIMNIC_CFG_EXP_POS + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_FLR);

	if (vf)
		return;
	simnic_put32(c, SIMNIC_CFG_SRIOV_POS, PCI_EXT_CAP_ID_SRIOV | (1 << 16));
	simnic_put16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_INITIAL_VF, total_vfs);
	simnic_put16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_TOTAL_VF, total_vfs);
	simnic_put16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_VF_OFFSET, 1);
	simnic_put16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_VF_STRIDE, 1);
	simnic_put16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_VF_DID, SIMNIC_VF_DEVICE_ID);
	simnic_put32(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_SUP_PGSIZE, 1);
	simnic_put32(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_SYS_PGSIZE, 1);
}

void simnic_pci_init_cfg(struct simnic_card *card)
{
	u16 i;

	simnic_cfg_init_fn(card->pf_cfg, false, card->total_vfs);
	for (i = 0; i < card->total_vfs; i++)
		simnic_cfg_init_fn(card->vf_cfg + i * SIMNIC_CFG_SIZE, true, 0);
}

static struct simnic_card *simnic_bus_card(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct simnic_card, sd);
}

/* The config space behind routing ID @rid (bus number and devfn), or NULL if no
 * function answers there. The PF is 00.0 on the root bus; VF N's routing ID is N + 1
 * (first VF offset 1, stride 1), so VFs past 254 are on the next bus number, which
 * the PCI core adds for them (virtfn_add_bus()).
 */
static u8 *simnic_cfg_of(struct simnic_card *card, unsigned int rid)
{
	lockdep_assert_held(&card->cfg_lock);

	if (rid == 0)
		return card->pf_cfg;
	if (rid <= card->num_vfs)
		return card->vf_cfg + (rid - 1) * SIMNIC_CFG_SIZE;
	return NULL;
}

static unsigned int simnic_rid(const struct pci_bus *bus, unsigned int devfn)
{
	return PCI_DEVID(bus->number, devfn);
}

static int simnic_cfg_read(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 *val)
{
	struct simnic_card *card = simnic_bus_card(bus);
	unsigned long flags;
	u8 *c;

	raw_spin_lock_irqsave(&card->cfg_lock, flags);
	c = simnic_cfg_of(card, simnic_rid(bus, devfn));
	if (!c || where + size > SIMNIC_CFG_SIZE) {
		raw_spin_unlock_irqrestore(&card->cfg_lock, flags);
		*val = ~0;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	if (size == 1)
		*val = c[where];
	else if (size == 2)
		*val = simnic_get16(c, where);
	else
		*val = simnic_get32(c, where);
	raw_spin_unlock_irqrestore(&card->cfg_lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static void simnic_cfg_store(u8 *c, int where, int size, u32 val)
{
	if (size == 1)
		c[where] = val;
	else if (size == 2)
		simnic_put16(c, where, val);
	else
		simnic_put32(c, where, val);
}

/* VF Enable changed: make the VF functions appear or vanish */
static void simnic_cfg_sriov_ctrl(struct simnic_card *card, u16 old, u16 new)
{
	u8 *c = card->pf_cfg;
	u16 i, num;

	lockdep_assert_held(&card->cfg_lock);

	if ((old ^ new) & PCI_SRIOV_CTRL_VFE) {
		num = simnic_get16(c, SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_NUM_VF);
		if (!(new & PCI_SRIOV_CTRL_VFE))
			num = 0;
		num = min(num, card->total_vfs);
		for (i = 0; i < card->total_vfs; i++)
			WRITE_ONCE(card->vfs[i].active, i < num);
		card->num_vfs = num;
	}
}

static int simnic_cfg_write(struct pci_bus *bus, unsigned int devfn, int where,
			    int size, u32 val)
{
	const int sriov_ctrl = SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_CTRL;
	const int devctl = SIMNIC_CFG_EXP_POS + PCI_EXP_DEVCTL;
	struct simnic_card *card = simnic_bus_card(bus);
	u16 old, vf, first = 0, last = 0;
	bool flr = false, is_pf;
	unsigned long flags;
	u8 *c;

	raw_spin_lock_irqsave(&card->cfg_lock, flags);
	c = simnic_cfg_of(card, simnic_rid(bus, devfn));
	if (!c || where + size > SIMNIC_CFG_SIZE) {
		raw_spin_unlock_irqrestore(&card->cfg_lock, flags);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	is_pf = c == card->pf_cfg;

	/* Only these registers are writable; the rest is read-only */
	if (where == PCI_COMMAND && size == 2) {
		simnic_cfg_store(c, where, size, val);
	} else if (where == devctl && size == 2) {
		flr = val & PCI_EXP_DEVCTL_BCR_FLR;
		simnic_cfg_store(c, where, size, val & ~PCI_EXP_DEVCTL_BCR_FLR);
	} else if (is_pf && where == sriov_ctrl && size == 2) {
		old = simnic_get16(c, where);
		simnic_cfg_store(c, where, size, val);
		simnic_cfg_sriov_ctrl(card, old, val);
	} else if (is_pf && (where == SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_NUM_VF ||
			     where == SIMNIC_CFG_SRIOV_POS + PCI_SRIOV_SYS_PGSIZE)) {
		simnic_cfg_store(c, where, size, val);
	}

	if (flr) {
		/* Reset in progress (and counted) from now on, as the VF driver will
		 * read it; the rest runs from a work item: no sleeping under pci_lock.
		 * An FLR of the PF takes every enabled VF with it.
		 */
		first = is_pf ? 0 : simnic_rid(bus, devfn) - 1;
		last = is_pf ? card->num_vfs : first + 1;
		for (vf = first; vf < last; vf++) {
			atomic_set(&card->vfs[vf].rstat, SIMNIC_VFR_INPROGRESS);
			atomic_inc(&card->vfs[vf].resets);
			set_bit(vf, card->vflr_pending);
		}
		queue_work(system_wq, &card->vflr_work);
	}
	raw_spin_unlock_irqrestore(&card->cfg_lock, flags);

	if (flr && is_pf)
		dev_info(&bus->dev, "simnic: function-level reset of the PF and its %u VFs\n",
			 last);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops simnic_pci_ops = {
	.read = simnic_cfg_read,
	.write = simnic_cfg_write,
};

bool simnic_pci_bus_is_ours(const struct pci_bus *bus)
{
	return bus->ops == &simnic_pci_ops;
}

/* A free PCI domain number above the 16 bits ACPI can describe, as VMD finds one */
static int simnic_find_free_domain(void)
{
	struct pci_bus *bus = NULL;
	int domain = 0xffff;

	while ((bus = pci_find_next_bus(bus)))
		domain = max_t(int, domain, pci_domain_nr(bus));
	return domain + 1;
}

/* The host bridge of a root bus already in PCI domain @domain, or NULL. A root bus of ours
 * in a taken domain would make two devices with one name; pci_register_host_bridge()
 * only refuses the same domain and bus number, with no word to the user.
 */
static struct device *simnic_domain_owner(int domain)
{
	struct pci_bus *bus = NULL;

	while ((bus = pci_find_next_bus(bus)))
		if (pci_domain_nr(bus) == domain)
			return bus->bridge;
	return NULL;
}

/**
 * simnic_pci_create_bus - the card's private PCI domain, with its PF scanned and added
 * @card: the card
 * @parent: the device the host bridge hangs under
 * @domain: the domain number, or -1 for the first free one above 0xffff
 *
 * Return: 0, -EBUSY if @domain is taken (logged, with the taker's name), -ENODEV if
 * the PCI core refused the root bus.
 */
int simnic_pci_create_bus(struct simnic_card *card, struct device *parent, int domain)
{
	LIST_HEAD(resources);
	struct device *owner;

	if (domain < 0) {
		domain = simnic_find_free_domain();
	} else {
		owner = simnic_domain_owner(domain);
		if (owner) {
			pr_err("simnic_hw: card %u: PCI domain %04x is taken by %s: choose another pci_domain\n",
			       card->id, domain, dev_name(owner));
			return -EBUSY;
		}
	}
	card->sd.domain = domain;
	card->sd.node = NUMA_NO_NODE;
	card->busn.name = "simnic bus";
	card->busn.start = 0;
	card->busn.end = PCI_BUS_NUM(card->total_vfs);	/* the last VF's */
	card->busn.flags = IORESOURCE_BUS;
	pci_add_resource(&resources, &card->busn);

	card->bus = pci_create_root_bus(parent, 0, &simnic_pci_ops, &card->sd,
					&resources);
	if (!card->bus) {
		pci_free_resource_list(&resources);
		return -ENODEV;
	}
	pci_lock_rescan_remove();
	pci_scan_child_bus(card->bus);
	pci_bus_add_devices(card->bus);
	pci_unlock_rescan_remove();
	return 0;
}

void simnic_pci_remove_bus(struct simnic_card *card)
{
	struct pci_host_bridge *bridge = to_pci_host_bridge(card->bus->bridge);

	pci_lock_rescan_remove();
	pci_stop_root_bus(card->bus);
	pci_remove_root_bus(card->bus);
	pci_unlock_rescan_remove();
	card->bus = NULL;
	/* pci_remove_root_bus() only device_del()s the host bridge; the reference
	 * pci_create_root_bus() returned with is ours to drop, as for
	 * pci_free_host_bridge().
	 */
	put_device(&bridge->dev);
}
