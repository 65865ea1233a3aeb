// SPDX-License-Identifier: GPL-2.0
/* debugfs of the PF driver: /sys/kernel/debug/simnic_pf/<PF PCI address>/
 *   reset_vfs          write 1: the PF resets all its VFs at once, announced
 *   wq                 the work queue: gen (generation), queued, done, stale (items
 *                      dropped as stale), eswitch_vfs (the VFs the eswitch knows of)
 *   mbx_penalty_ms     how long a flooding VF stays rate-limited after its last
 *                      message queued behind another (at most 600000; a shorter
 *                      value applies to the VFs limited now, too)
 *   wq_delay_ms        fault injection: each work item waits this long (or until a
 *                      generation bump) before it tries the devlink lock (a worker
 *                      losing the race to a teardown)
 * and in vf<N>/:
 *   vlans              the VF's VLAN table as the PF holds it, one VID per line
 *   mbx_stats          the VF's mailbox: messages received, refused (not in its
 *                      allowlist), invalid, flood_dropped, floods, limited (yes/no),
 *                      peak (most in one window), max_queued, send_failed (messages
 *                      to the VF its mailbox refused: full, or no memory)
 *   refusals           the VF's messages refused, by refusal path: "NAME COUNT" per
 *                      line, every path (enum simnic_pf_refusal)
 *   reject_add, reject_del, reject_status, reply_delay_ms, drop_replies,
 *   reply_after_reset, vlan_v1
 *                      fault injection: see struct simnic_pf_vf_faults (writing 0
 *                      to reply_delay_ms sends the replies it held at once)
 *   forge              a hostile PF: "KIND [COUNT]" forges replies or sends events,
 *                      see simnic_pf_forge.c
 * and /sys/kernel/debug/simnic_pf/fail_probe: N makes step N of the next probe fail;
 * fail_step: "STEP [N [COUNT]]" makes the Nth call of an operation's step and the
 * COUNT - 1 after it fail (simnic_pf_fail_step())
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "simnic_pf.h"

static struct dentry *simnic_pf_dbg_root;

/* The words a user wrote to a knob, NUL-terminated in @buf of @size: -EINVAL if they
 * do not fit
 */
static int simnic_pf_dbg_words(const char __user *ubuf, size_t count, char *buf,
			       size_t size)
{
	if (count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return 0;
}

static int simnic_pf_dbg_fail_step_show(struct seq_file *s, void *unused)
{
	simnic_pf_fail_step_show(s);
	return 0;
}

static int simnic_pf_dbg_fail_step_open(struct inode *inode, struct file *file)
{
	return single_open(file, simnic_pf_dbg_fail_step_show, NULL);
}

static ssize_t simnic_pf_dbg_fail_step_write(struct file *file, const char __user *ubuf,
					     size_t count, loff_t *ppos)
{
	char buf[32];
	int err;

	err = simnic_pf_dbg_words(ubuf, count, buf, sizeof(buf));
	if (!err)
		err = simnic_pf_fail_step_set(buf);
	return err ? err : count;
}

static const struct file_operations simnic_pf_dbg_fail_step_fops = {
	.owner = THIS_MODULE,
	.open = simnic_pf_dbg_fail_step_open,
	.read = seq_read,
	.write = simnic_pf_dbg_fail_step_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int simnic_pf_dbg_vlans_show(struct seq_file *s, void *unused)
{
	struct simnic_pf_vf *vf = s->private;
	unsigned int vid;

	mutex_lock(&vf->pf->lock);
	for_each_set_bit(vid, vf->vlans, VLAN_N_VID)
		seq_printf(s, "%u\n", vid);
	mutex_unlock(&vf->pf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_pf_dbg_vlans);

static int simnic_pf_dbg_mbx_stats_show(struct seq_file *s, void *unused)
{
	struct simnic_pf_vf *vf = s->private;
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;

	mutex_lock(&vf->pf->lock);
	seq_printf(s, "received %llu\nrefused %llu\ninvalid %llu\n", mbx->received,
		   mbx->refused, mbx->invalid);
	seq_printf(s, "flood_dropped %llu\nfloods %u\nlimited %s\n", mbx->flood_dropped,
		   mbx->floods, mbx->limited ? "yes" : "no");
	seq_printf(s, "peak %u\nmax_queued %u\n", mbx->peak, mbx->max_queued);
	seq_printf(s, "send_failed %llu\n", mbx->send_failed);
	mutex_unlock(&vf->pf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_pf_dbg_mbx_stats);

static int simnic_pf_dbg_refusals_show(struct seq_file *s, void *unused)
{
	struct simnic_pf_vf *vf = s->private;
	enum simnic_pf_refusal why;

	mutex_lock(&vf->pf->lock);
	for (why = 0; why < SIMNIC_PF_REFUSE_NUM; why++)
		seq_printf(s, "%s %u\n", simnic_pf_refusal_name(why), vf->mbx.refusals[why]);
	mutex_unlock(&vf->pf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_pf_dbg_refusals);

static int simnic_pf_dbg_status_get(void *data, u64 *val)
{
	struct simnic_pf_vf *vf = data;

	*val = (s64)READ_ONCE(vf->faults.reject_status);
	return 0;
}

/* A virtchnl status: 0 or negative, as enum virtchnl_status_code */
static int simnic_pf_dbg_status_set(void *data, u64 val)
{
	struct simnic_pf_vf *vf = data;
	s64 status = (s64)val;

	if (status > 0 || status < S16_MIN)
		return -ERANGE;
	WRITE_ONCE(vf->faults.reject_status, status);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(simnic_pf_dbg_status_fops, simnic_pf_dbg_status_get,
			 simnic_pf_dbg_status_set, "%lld\n");

static int simnic_pf_dbg_forge_show(struct seq_file *s, void *unused)
{
	simnic_pf_forge_show(s->private, s);
	return 0;
}

static int simnic_pf_dbg_forge_open(struct inode *inode, struct file *file)
{
	return single_open(file, simnic_pf_dbg_forge_show, inode->i_private);
}

static ssize_t simnic_pf_dbg_forge_write(struct file *file, const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct simnic_pf_vf *vf = ((struct seq_file *)file->private_data)->private;
	char buf[32];
	int err;

	err = simnic_pf_dbg_words(ubuf, count, buf, sizeof(buf));
	if (!err)
		err = simnic_pf_forge_set(vf, buf);
	return err ? err : count;
}

static const struct file_operations simnic_pf_dbg_forge_fops = {
	.owner = THIS_MODULE,
	.open = simnic_pf_dbg_forge_open,
	.read = seq_read,
	.write = simnic_pf_dbg_forge_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Called under pf->lock while SR-IOV is enabled; removed by simnic_pf_sriov_disable() */
static int simnic_pf_dbg_reply_delay_get(void *data, u64 *val)
{
	struct simnic_pf_vf *vf = data;

	*val = READ_ONCE(vf->faults.reply_delay_ms);
	return 0;
}

static int simnic_pf_dbg_reply_delay_set(void *data, u64 val)
{
	if (val > U32_MAX)
		return -EINVAL;
	simnic_pf_reply_delay_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(simnic_pf_dbg_reply_delay_fops, simnic_pf_dbg_reply_delay_get,
			 simnic_pf_dbg_reply_delay_set, "%llu\n");

void simnic_pf_dbg_vf_add(struct simnic_pf_vf *vf)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;
	char name[16];

	snprintf(name, sizeof(name), "vf%u", vf->id);
	vf->dbg = debugfs_create_dir(name, vf->pf->dbg);
	debugfs_create_file("vlans", 0400, vf->dbg, vf, &simnic_pf_dbg_vlans_fops);
	debugfs_create_file("mbx_stats", 0400, vf->dbg, vf, &simnic_pf_dbg_mbx_stats_fops);
	debugfs_create_file("refusals", 0400, vf->dbg, vf, &simnic_pf_dbg_refusals_fops);
	debugfs_create_u32("reject_add", 0600, vf->dbg, &fl->reject_add);
	debugfs_create_u32("reject_del", 0600, vf->dbg, &fl->reject_del);
	debugfs_create_file_unsafe("reject_status", 0600, vf->dbg, vf,
				   &simnic_pf_dbg_status_fops);
	debugfs_create_file_unsafe("reply_delay_ms", 0600, vf->dbg, vf,
				   &simnic_pf_dbg_reply_delay_fops);
	debugfs_create_u32("drop_replies", 0600, vf->dbg, &fl->drop_replies);
	debugfs_create_u32("reply_after_reset", 0600, vf->dbg, &fl->reply_after_reset);
	debugfs_create_bool("vlan_v1", 0600, vf->dbg, &fl->vlan_v1);
	debugfs_create_file("forge", 0600, vf->dbg, vf, &simnic_pf_dbg_forge_fops);
}

static int simnic_pf_dbg_wq_show(struct seq_file *s, void *unused)
{
	struct simnic_pf *pf = s->private;

	seq_printf(s, "gen %u\nqueued %lld\ndone %lld\nstale %lld\neswitch_vfs %u\n",
		   READ_ONCE(pf->wq_gen), (s64)atomic64_read(&pf->wq_queued),
		   (s64)atomic64_read(&pf->wq_done), (s64)atomic64_read(&pf->wq_stale),
		   READ_ONCE(pf->eswitch_vfs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_pf_dbg_wq);

static ssize_t simnic_pf_dbg_reset_vfs_write(struct file *file, const char __user *buf,
					     size_t count, loff_t *ppos)
{
	struct simnic_pf *pf = file->private_data;
	bool yes;
	int err;

	err = kstrtobool_from_user(buf, count, &yes);
	if (err)
		return err;
	if (!yes)
		return -EINVAL;
	err = simnic_pf_reset_all_vfs(pf);
	return err ? err : count;
}

static const struct file_operations simnic_pf_dbg_reset_vfs_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = simnic_pf_dbg_reset_vfs_write,
	.llseek = noop_llseek,
};

static int simnic_pf_dbg_mbx_penalty_get(void *data, u64 *val)
{
	struct simnic_pf *pf = data;

	*val = READ_ONCE(pf->mbx_penalty_ms);
	return 0;
}

static int simnic_pf_dbg_mbx_penalty_set(void *data, u64 val)
{
	return simnic_pf_mbx_penalty_set(data, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(simnic_pf_dbg_mbx_penalty_fops, simnic_pf_dbg_mbx_penalty_get,
			 simnic_pf_dbg_mbx_penalty_set, "%llu\n");

void simnic_pf_dbg_init(struct simnic_pf *pf)
{
	pf->dbg = debugfs_create_dir(pci_name(pf->pdev), simnic_pf_dbg_root);
	debugfs_create_file("reset_vfs", 0200, pf->dbg, pf, &simnic_pf_dbg_reset_vfs_fops);
	debugfs_create_file("wq", 0400, pf->dbg, pf, &simnic_pf_dbg_wq_fops);
	debugfs_create_u32("wq_delay_ms", 0600, pf->dbg, &pf->wq_delay_ms);
	debugfs_create_file_unsafe("mbx_penalty_ms", 0600, pf->dbg, pf,
				   &simnic_pf_dbg_mbx_penalty_fops);
}

void simnic_pf_dbg_exit(struct simnic_pf *pf)
{
	debugfs_remove_recursive(pf->dbg);
	pf->dbg = NULL;
}

void simnic_pf_dbg_register(void)
{
	simnic_pf_dbg_root = debugfs_create_dir(SIMNIC_PF_DRV_NAME, NULL);
	debugfs_create_u32("fail_probe", 0600, simnic_pf_dbg_root, &simnic_pf_fail_probe);
	debugfs_create_file("fail_step", 0600, simnic_pf_dbg_root, NULL,
			    &simnic_pf_dbg_fail_step_fops);
}

void simnic_pf_dbg_unregister(void)
{
	debugfs_remove_recursive(simnic_pf_dbg_root);
}
