// SPDX-License-Identifier: GPL-2.0
/* devlink of the PF: one instance per PF, whose private area is the struct simnic_pf
 * itself (as ice does). `devlink dev info` tells the driver, the card's serial number
 * (its permanent MAC) and the firmware it runs; `devlink port show` has the uplink, a
 * physical port whose netdev is the PF's; `devlink dev eswitch` shows and sets legacy (the
 * switch forwards among the PF and its VFs as a VEB) or switchdev (a representor
 * per VF: simnic_pf_eswitch.c).
 *
 * The devlink core calls every op below with the instance locked (devl_lock); the
 * devlink lock nests outside pf->lock.
 */
#include <linux/etherdevice.h>
#include <net/devlink.h>
#include "simnic_pf.h"

static int simnic_pf_devlink_info_get(struct devlink *devlink,
				      struct devlink_info_req *req,
				      struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_priv(devlink);
	u32 fw = simnic_hw_fw_version(pf->fn);
	u8 addr[ETH_ALEN];
	char buf[32];
	int err;

	err = devlink_info_driver_name_put(req, SIMNIC_PF_DRV_NAME);
	if (err)
		return err;
	simnic_hw_perm_addr(pf->fn, addr);
	snprintf(buf, sizeof(buf), "%*phN", ETH_ALEN, addr);
	err = devlink_info_serial_number_put(req, buf);
	if (err)
		return err;
	snprintf(buf, sizeof(buf), "%04x", pf->pdev->device);
	err = devlink_info_version_fixed_put(req, DEVLINK_INFO_VERSION_GENERIC_ASIC_ID, buf);
	if (err)
		return err;
	snprintf(buf, sizeof(buf), "%u.%u.%u", SIMNIC_FW_VER_MAJOR(fw),
		 SIMNIC_FW_VER_MINOR(fw), SIMNIC_FW_VER_BUILD(fw));
	return devlink_info_version_running_put(req, DEVLINK_INFO_VERSION_GENERIC_FW, buf);
}

static int simnic_pf_eswitch_mode_get(struct devlink *devlink, u16 *mode)
{
	struct simnic_pf *pf = devlink_priv(devlink);

	devl_assert_locked(devlink);
	*mode = pf->eswitch_mode;
	return 0;
}

/* Legacy (the switch is a VEB) or switchdev (a representor per VF): see
 * simnic_pf_eswitch.c
 */
static int simnic_pf_eswitch_mode_set(struct devlink *devlink, u16 mode,
				      struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_priv(devlink);

	devl_assert_locked(devlink);
	switch (mode) {
	case DEVLINK_ESWITCH_MODE_LEGACY:
	case DEVLINK_ESWITCH_MODE_SWITCHDEV:
		return simnic_pf_eswitch_mode_change(pf, mode, extack);
	default:
		NL_SET_ERR_MSG_MOD(extack, "unknown eswitch mode");
		dev_err(&pf->pdev->dev, "eswitch mode %u: unknown\n", mode);
		return -EINVAL;
	}
}

static const struct devlink_ops simnic_pf_devlink_ops = {
	.info_get = simnic_pf_devlink_info_get,
	.eswitch_mode_get = simnic_pf_eswitch_mode_get,
	.eswitch_mode_set = simnic_pf_eswitch_mode_set,
};

/**
 * simnic_pf_devlink_alloc - the PF, as the private area of its devlink instance
 * @pdev: the PF's PCI device
 *
 * Returns the zeroed PF, or NULL. simnic_pf_devlink_free() frees it.
 */
struct simnic_pf *simnic_pf_devlink_alloc(struct pci_dev *pdev)
{
	struct devlink *devlink;
	struct simnic_pf *pf;

	devlink = devlink_alloc(&simnic_pf_devlink_ops, sizeof(*pf), &pdev->dev);
	if (!devlink)
		return NULL;
	pf = devlink_priv(devlink);
	pf->eswitch_mode = DEVLINK_ESWITCH_MODE_LEGACY;
	return pf;
}

void simnic_pf_devlink_free(struct simnic_pf *pf)
{
	devlink_free(priv_to_devlink(pf));
}

/* Last step of probe: user space may use the instance from here on */
void simnic_pf_devlink_register(struct simnic_pf *pf)
{
	devlink_register(priv_to_devlink(pf));
}

/* First step of remove */
void simnic_pf_devlink_unregister(struct simnic_pf *pf)
{
	devlink_unregister(priv_to_devlink(pf));
}

/**
 * simnic_pf_devlink_port_register - the uplink port
 * @pf: the PF, its netdev not registered yet
 *
 * A physical port, number 0, whose switch ID is the card's permanent MAC (the PF
 * netdev's phys_switch_id and phys_port_name "p0" come from it). Its netdev is set
 * by simnic_pf_devlink_port_set_netdev() once registered.
 */
int simnic_pf_devlink_port_register(struct simnic_pf *pf)
{
	struct devlink_port_attrs attrs = {};
	u8 addr[ETH_ALEN];

	simnic_hw_perm_addr(pf->fn, addr);
	attrs.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL;
	attrs.phys.port_number = 0;
	memcpy(attrs.switch_id.id, addr, ETH_ALEN);
	attrs.switch_id.id_len = ETH_ALEN;
	devlink_port_attrs_set(&pf->uplink, &attrs);
	return devlink_port_register(priv_to_devlink(pf), &pf->uplink, 0);
}

void simnic_pf_devlink_port_unregister(struct simnic_pf *pf)
{
	devlink_port_unregister(&pf->uplink);
}

void simnic_pf_devlink_port_set_netdev(struct simnic_pf *pf)
{
	devlink_port_type_eth_set(&pf->uplink, pf->netdev);
}

/* Before the netdev goes: the port must not point to a freed netdev */
void simnic_pf_devlink_port_clear_netdev(struct simnic_pf *pf)
{
	devlink_port_type_clear(&pf->uplink);
}
