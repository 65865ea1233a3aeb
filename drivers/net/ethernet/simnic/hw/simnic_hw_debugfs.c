// SPDX-License-Identifier: GPL-2.0
/* What the switch enforces, for tests and for people: per card and function,
 * /sys/kernel/debug/simnic_hw/<PF PCI address>/{pf,vf<N>}/{macs,vlans,stats,queues}
 * and vf<N>/rss ("key HEX" and "lut N...", or nothing before a table is set),
 * read-only:
 * the PF driver is the only one that programs the switch. And the events a card raises
 * on its own, for tests to drive: <card>/link (0 or 1), <card>/service (ms away, or
 * "back" to end it) and
 * <card>/vf<N>/reconfig (write 1). The VF's mailbox: <card>/vf<N>/mbx (its counters,
 * read-only), <card>/vf<N>/mbx_inject (write-only: messages to the PF as if the VF
 * had sent them, for tests that play a hostile VF) and <card>/vf<N>/mbx_reply (each
 * read takes the oldest message to a VF no driver holds, as "OPCODE RETVAL LEN
 * [HEX]"; nothing when none waits).
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "simnic_hw.h"

/* At most this many copies of a message per write to mbx_inject */
#define SIMNIC_DBG_INJECT_MAX	4096

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

static int simnic_dbg_rss_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_rss *rss;
	unsigned int i;

	rcu_read_lock();
	rss = rcu_dereference(fn->rss);
	if (rss && rss->lut_set) {
		seq_printf(s, "key %*phN\nlut", SIMNIC_RSS_KEY_SIZE, rss->key);
		for (i = 0; i < SIMNIC_RSS_LUT_SIZE; i++)
			seq_printf(s, " %u", rss->lut[i]);
		seq_putc(s, '\n');
	}
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_rss);

static int simnic_dbg_stats_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_hw_fn_stats st;

	simnic_hw_fn_stats(fn, &st);
	seq_printf(s, "tx_packets %llu\ntx_bytes %llu\ntx_dropped %llu\n",
		   st.tx_packets, st.tx_bytes, st.tx_dropped);
	seq_printf(s, "rx_packets %llu\nrx_bytes %llu\nrx_dropped %llu\n",
		   st.rx_packets, st.rx_bytes, st.rx_dropped);
	seq_printf(s, "tx_spoofed %llu\nrx_vlan_filtered %llu\ntx_held %llu\n",
		   st.tx_spoofed, st.rx_vlan_filtered, st.tx_held);
	seq_printf(s, "rx_multicast %llu\nrx_broadcast %llu\nmax_tx_mbps %u\n",
		   st.rx_multicast, st.rx_broadcast, READ_ONCE(fn->max_tx_mbps));
	seq_printf(s, "spoofchk %u\npvid %u\npqos %u\n", READ_ONCE(fn->spoofchk),
		   READ_ONCE(fn->ptci) & VLAN_VID_MASK, READ_ONCE(fn->ptci) >> VLAN_PRIO_SHIFT);
	seq_printf(s, "rx_mac_filtered %llu\npromisc %u\nallmulti %u\n",
		   st.rx_mac_filtered, READ_ONCE(fn->promisc), READ_ONCE(fn->allmulti));
	seq_printf(s, "rx_oversize %llu\ntx_multicast %llu\ntx_broadcast %llu\n",
		   st.rx_oversize, st.tx_multicast, st.tx_broadcast);
	seq_printf(s, "rx_vlan_stripped %llu\ntx_vlan_inserted %llu\n",
		   st.rx_vlan_stripped, st.tx_vlan_inserted);
	if (fn->is_vf) {
		seq_printf(s, "vlan_pruning %u\nresets %u\n", !READ_ONCE(fn->no_vlan_pruning),
			   atomic_read(&fn->resets));
		seq_printf(s, "vlan_strip %u\nvlan_insert %u\n", READ_ONCE(fn->vlan_strip),
			   READ_ONCE(fn->vlan_insert));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_stats);

/* The queues as the PF configured them: the enabled bitmaps, then a line per rx queue
 * "q<N> ring_len <descriptors> vector <V> enabled <0|1> frames <waiting>", then one
 * per tx queue "txq<N> ring_len <descriptors> vector <V> used <descriptors held>
 * peak <most held at once> done <descriptors completed>"
 */
static int simnic_dbg_queues_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	u16 ring_len, vector, used, peak;
	struct simnic_rxq *rxq;
	struct simnic_txq *txq;
	unsigned int frames;
	bool enabled;
	u32 done;
	u16 q;

	seq_printf(s, "rxq_enabled 0x%lx\ntxq_enabled 0x%lx\n", READ_ONCE(fn->rxq_enabled),
		   READ_ONCE(fn->txq_enabled));
	for (q = 0; q < SIMNIC_MAX_QUEUES; q++) {
		rxq = &fn->rxq[q];
		spin_lock_bh(&rxq->lock);
		ring_len = rxq->ring_len;
		vector = rxq->vector;
		enabled = rxq->enabled;
		frames = skb_queue_len(&rxq->frames);
		spin_unlock_bh(&rxq->lock);
		seq_printf(s, "q%u ring_len %u vector %u enabled %u frames %u\n", q, ring_len,
			   vector, enabled, frames);
	}
	for (q = 0; q < SIMNIC_MAX_QUEUES; q++) {
		txq = &fn->txq[q];
		spin_lock_bh(&txq->lock);
		ring_len = txq->ring_len;
		vector = txq->vector;
		used = txq->used;
		peak = txq->peak;
		done = txq->done;
		spin_unlock_bh(&txq->lock);
		seq_printf(s, "txq%u ring_len %u vector %u used %u peak %u done %u\n", q,
			   ring_len, vector, used, peak, done);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_queues);

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
	err = simnic_fn_reconfig_event(fn);
	return err ? err : count;
}

static const struct file_operations simnic_dbg_reconfig_fops = {
	.open = simple_open,
	.write = simnic_dbg_reconfig_write,
	.llseek = noop_llseek,
};

static int simnic_dbg_mbx_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_mbx *mbx = &fn->mbx;

	spin_lock_bh(&mbx->lock);
	seq_printf(s, "to_pf %u\nto_vf %u\nfull_to_pf %llu\nfull_to_vf %llu\ninjected %llu\n",
		   mbx->n_to_pf, mbx->n_to_vf, mbx->full_to_pf, mbx->full_to_vf,
		   mbx->injected);
	spin_unlock_bh(&mbx->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_dbg_mbx);

/* "OPCODE LEN [COUNT] [random]" (LEN zero bytes, or random ones) or
 * "OPCODE hex:BYTES [COUNT]" (the payload in hex): COUNT copies, 1 by default, go to
 * the PF as messages from this VF. The mailbox refuses what does not fit, as it would
 * the VF driver's, and counts it (full_to_pf). Garbage is refused with -EINVAL and
 * nothing is sent. The write succeeds if at least one message went in.
 */
static ssize_t simnic_dbg_mbx_inject_write(struct file *file, const char __user *ubuf,
					   size_t count, loff_t *ppos)
{
	struct simnic_fn *fn = file->private_data;
	char *kbuf, *cur, *tok_op, *tok_len, *tok;
	unsigned int i, copies = 1, sent = 0;
	bool random = false, hex = false, have_count = false;
	u8 *payload = NULL;
	size_t hexlen;
	u32 opcode;
	u16 len;
	int err;

	if (count > 2 * SIMNIC_MBX_MAX_LEN + 64)
		return -EINVAL;
	kbuf = memdup_user_nul(ubuf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	cur = strim(kbuf);
	tok_op = strsep(&cur, " \t");
	tok_len = cur ? strsep(&cur, " \t") : NULL;
	err = -EINVAL;
	if (!tok_len || kstrtou32(tok_op, 0, &opcode))
		goto out_free;
	if (str_has_prefix(tok_len, "hex:")) {
		tok_len += strlen("hex:");
		hexlen = strlen(tok_len);
		if (!hexlen || hexlen % 2 || hexlen / 2 > SIMNIC_MBX_MAX_LEN)
			goto out_free;
		len = hexlen / 2;
		hex = true;
	} else if (kstrtou16(tok_len, 0, &len) || len > SIMNIC_MBX_MAX_LEN) {
		goto out_free;
	}
	while (cur && (tok = strsep(&cur, " \t"))) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "random") && !hex && !random) {
			random = true;
			continue;
		}
		if (have_count || random || kstrtouint(tok, 0, &copies) || !copies ||
		    copies > SIMNIC_DBG_INJECT_MAX)
			goto out_free;
		have_count = true;
	}

	err = -ENOMEM;
	payload = kzalloc(len ?: 1, GFP_KERNEL);
	if (!payload)
		goto out_free;
	err = -EINVAL;
	if (hex && hex2bin(payload, tok_len, len))
		goto out_free;

	err = 0;
	for (i = 0; i < copies; i++) {
		if (random)
			get_random_bytes(payload, len);
		err = simnic_mbx_inject(fn, opcode, payload, len);
		if (err == -ENOSPC)
			continue;	/* counted by the mailbox; a flood goes on */
		if (err)
			break;
		sent++;
	}
	err = sent ? 0 : err ?: -ENOSPC;
out_free:
	kfree(payload);
	kfree(kbuf);
	return err ? err : count;
}

static const struct file_operations simnic_dbg_mbx_inject_fops = {
	.open = simple_open,
	.write = simnic_dbg_mbx_inject_write,
	.llseek = noop_llseek,
};

static int simnic_dbg_mbx_reply_show(struct seq_file *s, void *unused)
{
	struct simnic_fn *fn = s->private;
	struct simnic_mbx_msg *msg;
	unsigned int off;
	int err;

	msg = kmalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = simnic_mbx_take(fn, msg);
	if (err == -EAGAIN) {
		err = 0;
		goto out_free;
	}
	if (err)
		goto out_free;
	seq_printf(s, "%u %d %u", msg->opcode, msg->retval, msg->len);
	if (msg->len)
		seq_putc(s, ' ');
	for (off = 0; off < msg->len; off += 64)
		seq_printf(s, "%*phN", min_t(int, 64, msg->len - off), msg->data + off);
	seq_putc(s, '\n');
out_free:
	kfree(msg);
	return err;
}

/* Each read takes a message: the buffer holds the longest, so that seq_file never
 * calls the show again with a larger one
 */
static int simnic_dbg_mbx_reply_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, simnic_dbg_mbx_reply_show, inode->i_private,
				2 * SIMNIC_MBX_MAX_LEN + 64);
}

static const struct file_operations simnic_dbg_mbx_reply_fops = {
	.owner = THIS_MODULE,
	.open = simnic_dbg_mbx_reply_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t simnic_dbg_service_write(struct file *file, const char __user *ubuf,
					size_t count, loff_t *ppos)
{
	struct simnic_card *card = file->private_data;
	unsigned int ms;
	char buf[16];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sysfs_streq(buf, "back")) {
		err = simnic_card_service_end(card);
	} else {
		err = kstrtouint(buf, 0, &ms);
		if (!err)
			err = simnic_card_service(card, ms);
	}
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
	debugfs_create_file("queues", 0400, fn->dbg, fn, &simnic_dbg_queues_fops);
	if (!fn->is_vf)
		return;
	debugfs_create_file("rss", 0400, fn->dbg, fn, &simnic_dbg_rss_fops);
	debugfs_create_file("reconfig", 0200, fn->dbg, fn, &simnic_dbg_reconfig_fops);
	debugfs_create_file("mbx", 0400, fn->dbg, fn, &simnic_dbg_mbx_fops);
	debugfs_create_file("mbx_inject", 0200, fn->dbg, fn, &simnic_dbg_mbx_inject_fops);
	debugfs_create_file("mbx_reply", 0400, fn->dbg, fn, &simnic_dbg_mbx_reply_fops);
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
