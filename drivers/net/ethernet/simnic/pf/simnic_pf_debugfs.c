// SPDX-License-Identifier: GPL-2.0
/* debugfs of the PF driver: /sys/kernel/debug/simnic_pf/<PF PCI address>/vf<N>/
 *   vlans              the VF's VLAN table as the PF holds it, one VID per line
 *   reject_add, reject_del, reject_status, reply_delay_ms, drop_replies,
 *   reply_after_reset, vlan_v1
 *                      fault injection: see struct simnic_pf_vf_faults
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "simnic_pf.h"

static struct dentry *simnic_pf_dbg_root;

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

/* Called under pf->lock while SR-IOV is enabled; removed by simnic_pf_sriov_disable() */
void simnic_pf_dbg_vf_add(struct simnic_pf_vf *vf)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;
	char name[16];

	snprintf(name, sizeof(name), "vf%u", vf->id);
	vf->dbg = debugfs_create_dir(name, vf->pf->dbg);
	debugfs_create_file("vlans", 0400, vf->dbg, vf, &simnic_pf_dbg_vlans_fops);
	debugfs_create_u32("reject_add", 0600, vf->dbg, &fl->reject_add);
	debugfs_create_u32("reject_del", 0600, vf->dbg, &fl->reject_del);
	debugfs_create_file_unsafe("reject_status", 0600, vf->dbg, vf,
				   &simnic_pf_dbg_status_fops);
	debugfs_create_u32("reply_delay_ms", 0600, vf->dbg, &fl->reply_delay_ms);
	debugfs_create_u32("drop_replies", 0600, vf->dbg, &fl->drop_replies);
	debugfs_create_u32("reply_after_reset", 0600, vf->dbg, &fl->reply_after_reset);
	debugfs_create_bool("vlan_v1", 0600, vf->dbg, &fl->vlan_v1);
}

void simnic_pf_dbg_init(struct simnic_pf *pf)
{
	pf->dbg = debugfs_create_dir(pci_name(pf->pdev), simnic_pf_dbg_root);
}

void simnic_pf_dbg_exit(struct simnic_pf *pf)
{
	debugfs_remove_recursive(pf->dbg);
	pf->dbg = NULL;
}

void simnic_pf_dbg_register(void)
{
	simnic_pf_dbg_root = debugfs_create_dir(SIMNIC_PF_DRV_NAME, NULL);
}

void simnic_pf_dbg_unregister(void)
{
	debugfs_remove_recursive(simnic_pf_dbg_root);
}
