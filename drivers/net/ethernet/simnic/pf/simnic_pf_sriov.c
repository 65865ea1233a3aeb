// SPDX-License-Identifier: GPL-2.0
/* SR-IOV on the PF: enabling and disabling VFs, VF resets, VF configuration */
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/slab.h>
#include "simnic_pf.h"

static unsigned int vf_queues = 4;
module_param(vf_queues, uint, 0444);
MODULE_PARM_DESC(vf_queues, "Queue pairs granted to each VF (1-16, default 4)");

/* Reset a VF to its post-FLR state: hardware queues and mailbox idle, switch filters
 * reduced to its MAC, virtchnl back to waiting for VERSION, then tell the VF driver
 * through the reset status register that it may start again.
 */
void simnic_pf_reset_vf(struct simnic_pf_vf *vf)
{
	struct simnic_pf *pf = vf->pf;

	lockdep_assert_held(&pf->lock);

	simnic_hw_pf_reset_vf(pf->fn, vf->id);
	simnic_hw_pf_clear_filters(pf->fn, vf->fn);
	if (simnic_hw_pf_set_mac_filter(pf->fn, vf->fn, vf->mac, true))
		dev_warn(&pf->pdev->dev, "VF %u: cannot program MAC %pM\n", vf->id,
			 vf->mac);
	memset(vf->ring_len, 0, sizeof(vf->ring_len));
	vf->state = SIMNIC_VF_STATE_RESET;
	vf->caps = 0;
	simnic_hw_pf_set_vf_rstat(pf->fn, vf->id, SIMNIC_VFR_COMPLETED);
	simnic_hw_pf_set_vf_rstat(pf->fn, vf->id, SIMNIC_VFR_VFACTIVE);
}

void simnic_pf_handle_vflr(struct simnic_pf *pf)
{
	u16 i;

	mutex_lock(&pf->lock);
	for (i = 0; i < pf->num_vfs; i++) {
		if (!simnic_hw_pf_vflr_test_and_clear(pf->fn, i))
			continue;
		dev_info(&pf->pdev->dev, "VF %u: function-level reset\n", i);
		simnic_pf_reset_vf(&pf->vfs[i]);
	}
	mutex_unlock(&pf->lock);
}

static int simnic_pf_sriov_enable(struct simnic_pf *pf, u16 num_vfs)
{
	struct simnic_pf_vf *vfs;
	int err;
	u16 i;

	vfs = kcalloc(num_vfs, sizeof(*vfs), GFP_KERNEL);
	if (!vfs)
		return -ENOMEM;

	mutex_lock(&pf->lock);
	for (i = 0; i < num_vfs; i++) {
		vfs[i].pf = pf;
		vfs[i].id = i;
		vfs[i].fn = simnic_hw_pf_vf_fn(pf->fn, i);
		vfs[i].num_qps = clamp_t(unsigned int, vf_queues, 1, SIMNIC_MAX_QUEUES);
		eth_random_addr(vfs[i].mac);
		simnic_pf_reset_vf(&vfs[i]);
	}
	pf->vfs = vfs;
	pf->num_vfs = num_vfs;
	mutex_unlock(&pf->lock);

	/* Not under pf->lock: VF drivers probe from here and talk to us */
	err = pci_enable_sriov(pf->pdev, num_vfs);
	if (err) {
		dev_err(&pf->pdev->dev, "cannot enable %u VFs: %d\n", num_vfs, err);
		simnic_pf_sriov_disable(pf);
		return err;
	}
	dev_info(&pf->pdev->dev, "%u VFs enabled\n", num_vfs);
	return 0;
}

void simnic_pf_sriov_disable(struct simnic_pf *pf)
{
	struct simnic_pf_vf *vfs;
	u16 i, num_vfs;

	/* VF drivers unbind in here and may still send their last messages */
	if (pci_num_vf(pf->pdev))
		pci_disable_sriov(pf->pdev);

	mutex_lock(&pf->lock);
	vfs = pf->vfs;
	num_vfs = pf->num_vfs;
	for (i = 0; i < num_vfs; i++) {
		simnic_hw_pf_reset_vf(pf->fn, i);
		simnic_hw_pf_clear_filters(pf->fn, vfs[i].fn);
	}
	pf->vfs = NULL;
	pf->num_vfs = 0;
	mutex_unlock(&pf->lock);
	kfree(vfs);
}

/* sriov_numvfs: only 0 -> N and N -> 0, as the PCI core and netdevsim expect */
int simnic_pf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct simnic_pf *pf = pci_get_drvdata(pdev);
	int err;

	if (!num_vfs) {
		if (pci_vfs_assigned(pdev)) {
			dev_err(&pdev->dev, "VFs are assigned to guests: not disabling\n");
			return -EPERM;
		}
		simnic_pf_sriov_disable(pf);
		return 0;
	}
	if (pci_num_vf(pdev)) {
		dev_err(&pdev->dev, "%d VFs already enabled: write 0 first\n",
			pci_num_vf(pdev));
		return -EBUSY;
	}
	err = simnic_pf_sriov_enable(pf, num_vfs);
	return err ? err : num_vfs;
}

int simnic_pf_get_vf_config(struct net_device *netdev, int vf_id,
			    struct ifla_vf_info *ivi)
{
	struct simnic_pf *pf = simnic_netdev_to_pf(netdev);
	int err = 0;

	mutex_lock(&pf->lock);
	if (vf_id < 0 || vf_id >= pf->num_vfs) {
		err = -EINVAL;
		goto out_unlock;
	}
	ivi->vf = vf_id;
	ether_addr_copy(ivi->mac, pf->vfs[vf_id].mac);
	ivi->linkstate = IFLA_VF_LINK_STATE_AUTO;
	ivi->spoofchk = 0;
	ivi->trusted = 0;
out_unlock:
	mutex_unlock(&pf->lock);
	return err;
}
