// SPDX-License-Identifier: GPL-2.0
/* What the switch enforces, for tests and for people: per card and function,
 * /sys/kernel/debug/simnic_hw/<PF PCI address>/{pf,vf<N>}/{macs,vlans,stats}.
 * Read-only: the PF driver is the only one that programs the switch.
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
	seq_printf(s, "tx_spoofed %llu\nrx_vlan_filtered %llu\n",
		   st.tx_spoofed, st.rx_vlan_filtered);
	seq_printf(s, "spoofchk %u\npvid %u\n", READ_ONCE(fn->spoofchk),
		   READ_ONCE(fn->pvid));
	if (fn->is_vf)
		seq_printf(s, "resets %u\n", atomic_read(&fn->resets));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_stats);

static void simnic_dbg_fn_add(struct simnic_fn *fn, struct dentry *parent,
			      const char *name)
{
	fn->dbg = debugfs_create_dir(name, parent);
	debugfs_create_file("vlans", 0400, fn->dbg, fn, &simnic_dbg_vlans_fops);
	debugfs_create_file("macs", 0400, fn->dbg, fn, &simnic_dbg_macs_fops);
	debugfs_create_file("stats", 0400, fn->dbg, fn, &simnic_dbg_stats_fops);
}

void simnic_dbg_card_add(struct simnic_card *card)
{
	char name[32];
	u16 i;

	snprintf(name, sizeof(name), "%04x:00:00.0", card->sd.domain);
	card->dbg = debugfs_create_dir(name, simnic_dbg_root);
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
