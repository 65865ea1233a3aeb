// SPDX-License-Identifier: GPL-2.0
/* debugfs of the VF driver: /sys/kernel/debug/simnic_vf/<VF PCI address>/
 *   vlans       every tracked VLAN filter and its state ("<vid> <state>")
 *   addrs       the addresses of the unicast and multicast lists and their state
 *               ("<mac> <state>")
 *   vlan_proto  the VLAN protocol agreed with the PF: v1, v2, none (V2 without
 *               filters) or off (no VLAN capability: VLAN filtering off)
 *   vc_stats    messages sent to the PF (total, vlan_add, vlan_del), resets and
 *               recoveries (see Documentation/networking/device_drivers/ethernet/simnic.rst)
 * and /sys/kernel/debug/simnic_vf/fail_probe: N makes step N of the next probe fail;
 * fail_register: N makes the next N netdev registrations fail (the watchdog retries);
 * fail_queues: N makes the next N queue configurations (VIRTCHNL_OP_CONFIG_VSI_QUEUES,
 * its message allocated at open and after every reset) fail (the watchdog retries)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "simnic_vf.h"

static struct dentry *simnic_vf_dbg_root;

static int simnic_vf_dbg_vlans_show(struct seq_file *s, void *unused)
{
	struct simnic_vf *vf = s->private;
	struct simnic_vf_vlan *f;

	mutex_lock(&vf->lock);
	list_for_each_entry(f, &vf->vlan.list, list)
		seq_printf(s, "%u %s\n", f->vid, simnic_vf_vlan_state_name(f->state));
	mutex_unlock(&vf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_vf_dbg_vlans);

static int simnic_vf_dbg_addrs_show(struct seq_file *s, void *unused)
{
	struct simnic_vf *vf = s->private;

	mutex_lock(&vf->lock);
	simnic_vf_addr_show(vf, s);
	mutex_unlock(&vf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_vf_dbg_addrs);

static int simnic_vf_dbg_vlan_proto_show(struct seq_file *s, void *unused)
{
	static const char * const names[] = {
		[SIMNIC_VF_VLAN_NONE] = "none",
		[SIMNIC_VF_VLAN_OFF] = "off",
		[SIMNIC_VF_VLAN_V1] = "v1",
		[SIMNIC_VF_VLAN_V2] = "v2",
	};
	struct simnic_vf *vf = s->private;

	mutex_lock(&vf->lock);
	seq_printf(s, "%s\n", names[vf->vlan.proto]);
	mutex_unlock(&vf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_vf_dbg_vlan_proto);

static int simnic_vf_dbg_vc_stats_show(struct seq_file *s, void *unused)
{
	struct simnic_vf *vf = s->private;

	mutex_lock(&vf->lock);
	seq_printf(s, "total %llu\nvlan_add %llu\nvlan_del %llu\n", vf->cnt.vc_sent,
		   vf->cnt.vc_sent_vlan_add, vf->cnt.vc_sent_vlan_del);
	seq_printf(s, "recoveries %llu\nvlan_max %u\n", vf->cnt.recoveries, vf->vlan.max);
	seq_printf(s, "resets_announced %llu\nstale_dropped %llu\n", vf->cnt.resets_announced,
		   vf->cnt.stale_dropped);
	seq_printf(s, "timeouts %llu\nself_resets %llu\n", vf->cnt.timeouts, vf->cnt.self_resets);
	/* equal once the VF has negotiated again after the device's latest reset of it */
	seq_printf(s, "device_resets %u\nready_after_reset %u\n",
		   simnic_hw_vf_reset_count(vf->fn), vf->rst.ready_reset);
	seq_printf(s, "recovery %s\nrecovery_ms %u\nrecovery_failures %llu\n",
		   simnic_vf_recovery_name(vf->rst.recovery), vf->rst.recovery_ms,
		   vf->cnt.recovery_failures);
	seq_printf(s, "reconfigs %llu\nrecreations %llu\nqueue_pairs %u\n", vf->cnt.reconfigs,
		   vf->cnt.recreations, vf->num_qps);
	seq_printf(s, "addrs_refused %llu\npromisc %u\nallmulti %u\n", vf->addr.refused,
		   !!(vf->addr.promisc_have & FLAG_VF_UNICAST_PROMISC),
		   !!(vf->addr.promisc_have & FLAG_VF_MULTICAST_PROMISC));
	mutex_unlock(&vf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(simnic_vf_dbg_vc_stats);

void simnic_vf_dbg_add(struct simnic_vf *vf)
{
	vf->dbg = debugfs_create_dir(pci_name(vf->pdev), simnic_vf_dbg_root);
	debugfs_create_file("vlans", 0400, vf->dbg, vf, &simnic_vf_dbg_vlans_fops);
	debugfs_create_file("addrs", 0400, vf->dbg, vf, &simnic_vf_dbg_addrs_fops);
	debugfs_create_file("vlan_proto", 0400, vf->dbg, vf,
			    &simnic_vf_dbg_vlan_proto_fops);
	debugfs_create_file("vc_stats", 0400, vf->dbg, vf, &simnic_vf_dbg_vc_stats_fops);
}

/* Not under vf->lock: removal waits for readers, which take it */
void simnic_vf_dbg_del(struct simnic_vf *vf)
{
	debugfs_remove_recursive(vf->dbg);
	vf->dbg = NULL;
}

void simnic_vf_dbg_register(void)
{
	simnic_vf_dbg_root = debugfs_create_dir(SIMNIC_VF_DRV_NAME, NULL);
	debugfs_create_u32("fail_probe", 0600, simnic_vf_dbg_root, &simnic_vf_fail_probe);
	debugfs_create_u32("fail_register", 0600, simnic_vf_dbg_root, &simnic_vf_fail_register);
	debugfs_create_u32("fail_queues", 0600, simnic_vf_dbg_root, &simnic_vf_fail_queues);
}

void simnic_vf_dbg_unregister(void)
{
	debugfs_remove_recursive(simnic_vf_dbg_root);
}
