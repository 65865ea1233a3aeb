// SPDX-License-Identifier: GPL-2.0
/* simnic_hw: an emulated SR-IOV network card. Cards are created at load (num_cards) and
 * at run time through /sys/devices/simnic/{new_card,del_card}.
 */
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <simnic/simnic_version.h>
#include "simnic_hw.h"

static unsigned int num_cards = 1;
module_param(num_cards, uint, 0444);
MODULE_PARM_DESC(num_cards, "Cards created at load (0-16, default 1)");

static unsigned int total_vfs = 8;
module_param(total_vfs, uint, 0444);
MODULE_PARM_DESC(total_vfs, "VFs each card created at load supports (1-256, default 8)");

static int pci_domain = -1;
module_param(pci_domain, int, 0444);
MODULE_PARM_DESC(pci_domain,
		 "PCI domain of card 0; card N gets pci_domain + N (0-0x7fffffff; default -1: the first free above 0xffff)");

static struct device *simnic_root;
/* simnic_cards_lock protects simnic_cards and serialises card creation and removal */
static DEFINE_MUTEX(simnic_cards_lock);
static LIST_HEAD(simnic_cards);
static unsigned int simnic_cards_count;

static struct simnic_card *simnic_card_find(u32 id)
{
	struct simnic_card *card;

	lockdep_assert_held(&simnic_cards_lock);
	list_for_each_entry(card, &simnic_cards, list)
		if (card->id == id)
			return card;
	return NULL;
}

static void simnic_card_free(struct simnic_card *card)
{
	bitmap_free(card->vflr_latched);
	bitmap_free(card->vflr_pending);
	kfree(card->vfs);
	kvfree(card->vf_cfg);
	kfree(card->pf_cfg);
	kfree(card);
}

static struct simnic_card *simnic_card_alloc(u32 id, u16 nvfs)
{
	struct simnic_card *card;
	u16 i;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return NULL;
	card->id = id;
	card->total_vfs = nvfs;
	card->pf_cfg = kzalloc(SIMNIC_CFG_SIZE, GFP_KERNEL);
	card->vf_cfg = kvcalloc(nvfs, SIMNIC_CFG_SIZE, GFP_KERNEL);
	card->vfs = kcalloc(nvfs, sizeof(*card->vfs), GFP_KERNEL);
	card->vflr_pending = bitmap_zalloc(nvfs, GFP_KERNEL);
	card->vflr_latched = bitmap_zalloc(nvfs, GFP_KERNEL);
	if (!card->pf_cfg || !card->vf_cfg || !card->vfs || !card->vflr_pending ||
	    !card->vflr_latched) {
		simnic_card_free(card);
		return NULL;
	}

	raw_spin_lock_init(&card->cfg_lock);
	spin_lock_init(&card->lock);
	mutex_init(&card->sw_lock);
	INIT_WORK(&card->vflr_work, simnic_vflr_work);
	INIT_DELAYED_WORK(&card->service_work, simnic_service_work);
	/* Locally administered, with the card ID in it: stable across reloads */
	card->perm_addr[0] = 0x02;
	card->perm_addr[1] = 0x5a;
	card->perm_addr[2] = 0x00;
	card->perm_addr[3] = id >> 8;
	card->perm_addr[4] = id;
	card->perm_addr[5] = 0x00;
	card->link_speed = SPEED_10000;
	card->link_up = true;
	simnic_fn_init(card, &card->pf, false, 0);
	for (i = 0; i < nvfs; i++)
		simnic_fn_init(card, &card->vfs[i], true, i);
	simnic_pci_init_cfg(card);
	return card;
}

static int simnic_card_create(u32 id, u16 nvfs)
{
	struct simnic_card *card;
	int domain = -1;
	int err;

	if (!nvfs || nvfs > SIMNIC_MAX_VFS)
		return -ERANGE;
	if (pci_domain >= 0) {
		if (id > INT_MAX - pci_domain)
			return -ERANGE;
		domain = pci_domain + id;
	}

	mutex_lock(&simnic_cards_lock);
	if (simnic_cards_count >= SIMNIC_MAX_CARDS) {
		err = -ENOSPC;
		goto err_unlock;
	}
	if (simnic_card_find(id)) {
		err = -EEXIST;
		goto err_unlock;
	}
	card = simnic_card_alloc(id, nvfs);
	if (!card) {
		err = -ENOMEM;
		goto err_unlock;
	}
	err = simnic_pci_create_bus(card, simnic_root, domain);
	if (err)
		goto err_free_card;
	simnic_dbg_card_add(card);
	list_add_tail(&card->list, &simnic_cards);
	simnic_cards_count++;
	mutex_unlock(&simnic_cards_lock);
	pr_info("simnic_hw: card %u: PF %04x:00:00.0, %u VFs\n", id,
		card->sd.domain, nvfs);
	return 0;

err_free_card:
	simnic_card_free(card);
err_unlock:
	mutex_unlock(&simnic_cards_lock);
	return err;
}

static void simnic_card_destroy(struct simnic_card *card)
{
	u16 i;

	lockdep_assert_held(&simnic_cards_lock);
	list_del(&card->list);
	simnic_cards_count--;
	/* Unbinds the drivers; the PF driver disables SR-IOV on the way out */
	simnic_pci_remove_bus(card);
	simnic_dbg_card_del(card);
	cancel_delayed_work_sync(&card->service_work);
	cancel_work_sync(&card->vflr_work);
	/* the PF driver, unbound above, turned switchdev off */
	WARN_ON(rcu_access_pointer(card->switchdev));
	for (i = 0; i < card->total_vfs; i++)
		simnic_fn_destroy(&card->vfs[i]);
	simnic_fn_destroy(&card->pf);
	pr_info("simnic_hw: card %u removed\n", card->id);
	/* kfree_rcu()ed filter tables reference nothing in the card */
	simnic_card_free(card);
}

static ssize_t new_card_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int id, nvfs = total_vfs;
	char extra;
	int n, err;

	n = sscanf(buf, "%u %u %c", &id, &nvfs, &extra);
	if (n < 1 || n > 2)
		return -EINVAL;
	err = simnic_card_create(id, nvfs > SIMNIC_MAX_VFS ? 0 : nvfs);
	return err ? err : count;
}
static DEVICE_ATTR_WO(new_card);

static ssize_t del_card_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct simnic_card *card;
	unsigned int id;
	int err;

	err = kstrtouint(buf, 0, &id);
	if (err)
		return err;
	mutex_lock(&simnic_cards_lock);
	card = simnic_card_find(id);
	if (card)
		simnic_card_destroy(card);
	mutex_unlock(&simnic_cards_lock);
	return card ? count : -ENOENT;
}
static DEVICE_ATTR_WO(del_card);

static ssize_t cards_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct simnic_card *card;
	int len = 0;

	mutex_lock(&simnic_cards_lock);
	list_for_each_entry(card, &simnic_cards, list)
		len += sysfs_emit_at(buf, len, "%u %04x:00:00.0 %u\n", card->id,
				     card->sd.domain, card->total_vfs);
	mutex_unlock(&simnic_cards_lock);
	return len;
}
static DEVICE_ATTR_RO(cards);

static struct attribute *simnic_root_attrs[] = {
	&dev_attr_new_card.attr,
	&dev_attr_del_card.attr,
	&dev_attr_cards.attr,
	NULL,
};

static const struct attribute_group simnic_root_group = {
	.attrs = simnic_root_attrs,
};

static void simnic_destroy_all(void)
{
	struct simnic_card *card, *tmp;

	mutex_lock(&simnic_cards_lock);
	list_for_each_entry_safe(card, tmp, &simnic_cards, list)
		simnic_card_destroy(card);
	mutex_unlock(&simnic_cards_lock);
}

static int __init simnic_hw_init(void)
{
	unsigned int i;
	int err;

	if (num_cards > SIMNIC_MAX_CARDS) {
		pr_err("simnic_hw: num_cards=%u: at most %u\n", num_cards, SIMNIC_MAX_CARDS);
		return -EINVAL;
	}
	if (!total_vfs || total_vfs > SIMNIC_MAX_VFS) {
		pr_err("simnic_hw: total_vfs=%u: must be 1-%u\n", total_vfs, SIMNIC_MAX_VFS);
		return -EINVAL;
	}
	if (pci_domain < -1) {
		pr_err("simnic_hw: pci_domain=%d: must be -1 (the first free above 0xffff) or 0-0x7fffffff\n",
		       pci_domain);
		return -EINVAL;
	}

	simnic_dbg_init();
	simnic_root = root_device_register("simnic");
	if (IS_ERR(simnic_root)) {
		err = PTR_ERR(simnic_root);
		goto err_dbg_exit;
	}
	err = sysfs_create_group(&simnic_root->kobj, &simnic_root_group);
	if (err)
		goto err_unregister_root;

	for (i = 0; i < num_cards; i++) {
		err = simnic_card_create(i, total_vfs);
		if (err) {
			pr_err("simnic_hw: card %u: %d\n", i, err);
			goto err_destroy_cards;
		}
	}
	return 0;

err_destroy_cards:
	simnic_destroy_all();
	sysfs_remove_group(&simnic_root->kobj, &simnic_root_group);
err_unregister_root:
	root_device_unregister(simnic_root);
err_dbg_exit:
	simnic_dbg_exit();
	return err;
}

static void __exit simnic_hw_exit(void)
{
	sysfs_remove_group(&simnic_root->kobj, &simnic_root_group);
	simnic_destroy_all();
	root_device_unregister(simnic_root);
	simnic_dbg_exit();
	/* Wait for the kfree_rcu()s of filter tables before the module text goes */
	rcu_barrier();
}

module_init(simnic_hw_init);
module_exit(simnic_hw_exit);
MODULE_DESCRIPTION("simnic emulated SR-IOV network card");
MODULE_VERSION(SIMNIC_VERSION);
MODULE_LICENSE("GPL");
