// SPDX-License-Identifier: GPL-2.0
/* What the switch enforces, for tests and for people: per card and function,
 * /sys/kernel/debug/simnic_hw/<PF PCI address>/{pf,vf<N>}/{macs,vlans,stats}, read-only:
 * the PF driver is the only one that programs the switch. And the events a card raises
 * on its own, for tests to drive: <card>/link (0 or 1), <card>/service (ms away) and
 * <card>/vf<N>/reconfig (write 1).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "simnic_hw.h"

static struct dentry *simnic_dbg_root;

static int simnic_dbg_vlans_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	unsigned int vid;

	for_each_set_bit(vid, fn->vlans, VLAN_N_VID)
		seq_printf(s, "%u\n", vid);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_vlans);

static int simnic_dbg_macs_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_mac_filters *macs;
	unsigned int i;

	rcu_read_lock();
	macs = rcu_dereference(fn->macs);
	for (i = 0; macs && i < macs->count; i++)
		seq_printf(s, "%pM\n", macs->addr[i]);
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_macs);

static int simnic_dbg_stats_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_hw_fn_stats st;

	simnic_hw_fn_stats(fn, &st);
	seq_printf(s, "tx_packets %llu\ntx_bytes %llu\ntx_dropped %llu\n",
		   st.tx_packets, st.tx_bytes, st.tx_dropped);
	seq_printf(s, "rx_packets %llu\nrx_bytes %llu\nrx_dropped %llu\n",
		   st.rx_packets, st.rx_bytes, st.rx_dropped);
	seq_printf(s, "tx_spoofed %llu\nrx_vlan_filtered %llu\ntx_rate_dropped %llu\n",
		   st.tx_spoofed, st.rx_vlan_filtered, st.tx_rate_dropped);
	seq_printf(s, "rx_multicast %llu\nrx_broadcast %llu\nmax_tx_mbps %u\n",
		   st.rx_multicast, st.rx_broadcast, READ_ONCE(fn->max_tx_mbps));
	seq_printf(s, "spoofchk %u\npvid %u\npqos %u\n", READ_ONCE(fn->spoofchk),
		   READ_ONCE(fn->ptci) & VLAN_VID_MASK, READ_ONCE(fn->ptci) >> VLAN_PRIO_SHIFT);
	seq_printf(s, "rx_mac_filtered %llu\npromisc %u\nallmulti %u\n",
		   st.rx_mac_filtered, READ_ONCE(fn->promisc), READ_ONCE(fn->allmulti));
	if (fn->is_vf)
		seq_printf(s, "resets %u\n", atomic_read(&fn->resets));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_stats);

static ssize_t simnic_dbg_reconfig_write(struct file *file, const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct simnic_fn *fn = file->private_data;
	bool val;
	int err;

	err = kstrtobool_from_user(ubuf, count, &val);
	if (err)
		return err;
	if (!val)
		return -EINVAL;
	err = simnic_vf_reconfig(fn);
	return err ? err : count;
}

static const struct file_operations simnic_dbg_reconfig_fops = {
	.open = simple_open,
	.write = simnic_dbg_reconfig_write,
	.llseek = noop_llseek,
};

static ssize_t simnic_dbg_service_write(struct file *file, const char __user *ubuf,
					size_t count, loff_t *ppos)
{
	struct simnic_card *card = file->private_data;
	unsigned int ms;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &ms);
	if (err)
		return err;
	err = simnic_card_service(card, ms);
	return err ? err : count;
}

static ssize_t simnic_dbg_service_read(struct file *file, char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct simnic_card *card = file->private_data;
	char buf[48];
	int len;

	len = scnprintf(buf, sizeof(buf), "%s %u\n",
			simnic_card_away(card) ? "away" : "ready",
			atomic_read(&card->services));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations simnic_dbg_service_fops = {
	.open = simple_open,
	.read = simnic_dbg_service_read,
	.write = simnic_dbg_service_write,
	.llseek = default_llseek,
};

static ssize_t simnic_dbg_link_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	bool up;
	int err;

	err = kstrtobool_from_user(ubuf, count, &up);
	if (err)
		return err;
	simnic_card_set_link(file->private_data, up);
	return count;
}

static ssize_t simnic_dbg_link_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct simnic_card *card = file->private_data;
	char buf[4];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", READ_ONCE(card->link_up));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations simnic_dbg_link_fops = {
	.open = simple_open,
	.read = simnic_dbg_link_read,
	.write = simnic_dbg_link_write,
	.llseek = default_llseek,
};

static void simnic_dbg_fn_add(struct simnic_fn *fn, struct dentry *parent,
			      const char *name)
{
	fn->dbg = debugfs_create_dir(name, parent);
	debugfs_create_file("vlans", 0400, fn->dbg, fn, &simnic_dbg_vlans_fops);
	debugfs_create_file("macs", 0400, fn->dbg, fn, &simnic_dbg_macs_fops);
	debugfs_create_file("stats", 0400, fn->dbg, fn, &simnic_dbg_stats_fops);
	if (fn->is_vf)
		debugfs_create_file("reconfig", 0200, fn->dbg, fn,
				    &simnic_dbg_reconfig_fops);
}

void simnic_dbg_card_add(struct simnic_card *card)
{
	char name[32];
	u16 i;

	snprintf(name, sizeof(name), "%04x:00:00.0", card->sd.domain);
	card->dbg = debugfs_create_dir(name, simnic_dbg_root);
	debugfs_create_file("service", 0600, card->dbg, card, &simnic_dbg_service_fops);
	debugfs_create_file("link", 0600, card->dbg, card, &simnic_dbg_link_fops);
	simnic_dbg_fn_add(&card->pf, card->dbg, "pf");
	for (i = 0; i < card->total_vfs; i++) {
		snprintf(name, sizeof(name), "vf%u", i);
		simnic_dbg_fn_add(&card->vfs[i], card->dbg, name);
	}
}

void simnic_dbg_card_del(struct simnic_card *card)
{
	debugfs_remove_recursive(card->dbg);
	card->dbg = NULL;
}

void simnic_dbg_init(void)
{
	simnic_dbg_root = debugfs_create_dir("simnic_hw", NULL);
}

void simnic_dbg_exit(void)
{
	debugfs_remove_recursive(simnic_dbg_root);
}
