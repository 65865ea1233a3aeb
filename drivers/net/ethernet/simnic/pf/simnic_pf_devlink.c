// SPDX-License-Identifier: GPL-2.0
/* devlink of the PF: one instance per PF, whose private area is the struct simnic_pf
 * itself (as ice does). `devlink dev info` tells the driver, the card's serial number
 * (its permanent MAC) and the firmware it runs; `devlink port show` has the uplink, a
 * physical port whose netdev is the PF's; `devlink dev eswitch` shows and sets legacy (the
 * switch forwards among the PF and its VFs as a VEB) or switchdev (a representor
 * per VF: simnic_pf_eswitch.c).
 *
 * `devlink dev reload` (action driver_reinit only) takes the PF's function, its netdev,
 * the uplink port and the representors down and brings them back while its VFs stay
 * enabled and recover (simnic_pf_service.c); the
 * driverinit param eswitch_switchdev_at_init, whose value at probe is the module
 * parameter eswitch_mode, says the eswitch mode a reload applies.
 *
 * The devlink core calls every op below with the instance locked (devl_lock); the
 * devlink lock nests outside pf->lock. Newer kernels call reload_down and reload_up
 * with the PF's device lock held as well: nothing here takes it.
 */
#include <linux/etherdevice.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <net/devlink.h>
#include <simnic/simnic_compat.h>
#include "simnic_pf.h"

static const char * const simnic_pf_eswitch_mode_names[] = {
	[DEVLINK_ESWITCH_MODE_LEGACY] = "legacy",
	[DEVLINK_ESWITCH_MODE_SWITCHDEV] = "switchdev",
};

/* The eswitch mode of every PF at probe (DEVLINK_ESWITCH_MODE_*): read-only once
 * loaded, so set at load only, where a bad value fails the load
 */
static int simnic_pf_eswitch_mode_param = DEVLINK_ESWITCH_MODE_LEGACY;

static int simnic_pf_eswitch_mode_param_set(const char *val, const struct kernel_param *kp)
{
	int mode;

	mode = val ? sysfs_match_string(simnic_pf_eswitch_mode_names, val) : -EINVAL;
	if (mode < 0) {
		pr_err("simnic_pf: eswitch_mode must be legacy or switchdev, not '%s'\n",
		       val ?: "");
		return -EINVAL;
	}
	*(int *)kp->arg = mode;
	return 0;
}

static int simnic_pf_eswitch_mode_param_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 simnic_pf_eswitch_mode_names[*(int *)kp->arg]);
}

static const struct kernel_param_ops simnic_pf_eswitch_mode_param_ops = {
	.set = simnic_pf_eswitch_mode_param_set,
	.get = simnic_pf_eswitch_mode_param_get,
};

module_param_cb(eswitch_mode, &simnic_pf_eswitch_mode_param_ops,
		&simnic_pf_eswitch_mode_param, 0444);
MODULE_PARM_DESC(eswitch_mode,
		 "eswitch mode of every PF at probe: legacy (default) or switchdev");

static int simnic_pf_devlink_info_get(struct devlink *devlink,
				      struct devlink_info_req *req,
				      struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_priv(devlink);
	u32 fw = simnic_hw_fw_version(pf->fn);
	u8 addr[ETH_ALEN];
	char buf[32];
	int err;

	err = simnic_devlink_info_driver_name_put(req, SIMNIC_PF_DRV_NAME);
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

/* devlink dev reload, first half. The core has refused actions other than
 * driver_reinit and every limit (reload_actions, reload_limits 0); a netns is
 * refused here. The PF's function goes down (simnic_pf_reload_down()), then what
 * the driver made on it, as netdevsim, mlx5 and ice do: the representors and their
 * ports, the PF netdev and the uplink port. The core checks that (Linux 6.8 and
 * later warn when a driver_reinit reload leaves a port registered); the second half
 * makes them again, and the VFs, which stay enabled, keep the settings the host gave
 * them (ip link set PF vf N ..., which the PF's table holds).
 */
static int simnic_pf_devlink_reload_down(struct devlink *devlink, bool netns_change,
					 enum devlink_reload_action action,
					 enum devlink_reload_limit limit,
					 struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_priv(devlink);
	int err;

	devl_assert_locked(devlink);
	if (netns_change) {
		NL_SET_ERR_MSG_MOD(extack, "reload into a network namespace is not supported");
		return -EOPNOTSUPP;
	}
	if (action != DEVLINK_RELOAD_ACTION_DRIVER_REINIT ||
	    limit != DEVLINK_RELOAD_LIMIT_UNSPEC) {
		NL_SET_ERR_MSG_MOD(extack, "only action driver_reinit, without a limit");
		return -EOPNOTSUPP;
	}
	err = simnic_pf_reload_down(pf, extack);
	if (err)
		return err;
	simnic_pf_eswitch_reload_down(pf);
	simnic_pf_uplink_destroy(pf);
	return 0;
}

/* devlink dev reload, second half: the uplink port and the PF netdev, the PF's
 * function, then the eswitch in the mode the driverinit param says if it changed
 * since the last init, else in the mode it had, with a representor per VF. A
 * failure leaves the PF down; another reload tries again.
 */
static int simnic_pf_devlink_reload_up(struct devlink *devlink,
				       enum devlink_reload_action action,
				       enum devlink_reload_limit limit, u32 *actions_performed,
				       struct netlink_ext_ack *extack)
{
	struct simnic_pf *pf = devlink_priv(devlink);
	union devlink_param_value val;
	u16 mode;
	int err;

	devl_assert_locked(devlink);
	err = simnic_pf_uplink_create(pf);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot create the PF netdev: the PF stays down");
		dev_err(&pf->pdev->dev, "devlink reload: no PF netdev (%d): the PF stays down\n",
			err);
		return err;
	}
	err = simnic_pf_reload_up(pf, extack);
	if (err)
		return err;
	*actions_performed = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT);

	err = simnic_devl_param_driverinit_value_get(devlink,
						     SIMNIC_PF_DEVLINK_PARAM_ID_ESWITCH_SWITCHDEV,
						     &val);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot read eswitch_switchdev_at_init");
		return err;
	}
	mode = pf->eswitch_mode;
	if (val.vbool != pf->eswitch_init_switchdev)
		mode = val.vbool ? DEVLINK_ESWITCH_MODE_SWITCHDEV : DEVLINK_ESWITCH_MODE_LEGACY;
	err = simnic_pf_eswitch_reload(pf, mode, extack);
	if (err)
		return err;
	/* applied: a later reload keeps whatever mode the user sets meanwhile */
	pf->eswitch_init_switchdev = val.vbool;
	return 0;
}

static const struct devlink_ops simnic_pf_devlink_ops = {
	.reload_actions = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT),
	.reload_down = simnic_pf_devlink_reload_down,
	.reload_up = simnic_pf_devlink_reload_up,
	.info_get = simnic_pf_devlink_info_get,
	.eswitch_mode_get = simnic_pf_eswitch_mode_get,
	.eswitch_mode_set = simnic_pf_eswitch_mode_set,
};

static const struct devlink_param simnic_pf_devlink_params[] = {
	DEVLINK_PARAM_DRIVER(SIMNIC_PF_DEVLINK_PARAM_ID_ESWITCH_SWITCHDEV,
			     "eswitch_switchdev_at_init", DEVLINK_PARAM_TYPE_BOOL,
			     BIT(DEVLINK_PARAM_CMODE_DRIVERINIT), NULL, NULL, NULL),
};

/**
 * simnic_pf_devlink_params_register - the driverinit param eswitch_switchdev_at_init
 * @pf: the PF, its devlink instance not registered yet, nor locked
 *
 * Its value at probe is the module parameter eswitch_mode, set with the instance
 * locked: simnic_devl_param_driverinit_value_set() wants it so.
 */
int simnic_pf_devlink_params_register(struct simnic_pf *pf)
{
	struct devlink *devlink = priv_to_devlink(pf);
	union devlink_param_value val;
	int err;

	err = devlink_params_register(devlink, simnic_pf_devlink_params,
				      ARRAY_SIZE(simnic_pf_devlink_params));
	if (err)
		return err;
	val.vbool = simnic_pf_eswitch_mode_param == DEVLINK_ESWITCH_MODE_SWITCHDEV;
	devl_lock(devlink);
	err = simnic_devl_param_driverinit_value_set(devlink,
						     SIMNIC_PF_DEVLINK_PARAM_ID_ESWITCH_SWITCHDEV,
						     val);
	devl_unlock(devlink);
	if (err)
		goto err_unregister;
	return 0;

err_unregister:
	devlink_params_unregister(devlink, simnic_pf_devlink_params,
				  ARRAY_SIZE(simnic_pf_devlink_params));
	return err;
}

/* After simnic_pf_devlink_unregister() */
void simnic_pf_devlink_params_unregister(struct simnic_pf *pf)
{
	devlink_params_unregister(priv_to_devlink(pf), simnic_pf_devlink_params,
				  ARRAY_SIZE(simnic_pf_devlink_params));
}

/**
 * simnic_pf_devlink_eswitch_init - probe: the eswitch in the mode of the driverinit
 * param (from the module parameter eswitch_mode)
 * @pf: the PF, its params registered, its devlink instance not registered yet
 *
 * Returns 0 or the error of the mode change; on an error the eswitch is legacy.
 */
int simnic_pf_devlink_eswitch_init(struct simnic_pf *pf)
{
	struct devlink *devlink = priv_to_devlink(pf);
	union devlink_param_value val;
	int err;

	devl_lock(devlink);
	err = simnic_devl_param_driverinit_value_get(devlink,
						     SIMNIC_PF_DEVLINK_PARAM_ID_ESWITCH_SWITCHDEV,
						     &val);
	if (err)
		goto out_unlock;
	pf->eswitch_init_switchdev = val.vbool;
	if (val.vbool)
		err = simnic_pf_eswitch_mode_change(pf, DEVLINK_ESWITCH_MODE_SWITCHDEV, NULL);
out_unlock:
	devl_unlock(devlink);
	if (err)
		dev_err(&pf->pdev->dev, "cannot come up in switchdev mode: %d\n", err);
	return err;
}

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
	struct devlink *devlink = priv_to_devlink(pf);

	simnic_devlink_enable_reload(devlink);
	devlink_register(devlink);
}

/* First step of remove */
void simnic_pf_devlink_unregister(struct simnic_pf *pf)
{
	devlink_unregister(priv_to_devlink(pf));
}

/* The uplink port: a physical port, number 0, whose switch ID is the card's
 * permanent MAC (the PF netdev's phys_switch_id and phys_port_name "p0" come from
 * it). The netdev names it before it is registered (simnic_pf_netdev_create()), and
 * simnic_pf_devlink_port_set_netdev() ties them once it is, where the kernel wants
 * the driver to.
 */
static int simnic_pf_devlink_port_register(struct simnic_pf *pf)
{
	struct devlink_port_attrs attrs = {};
	u8 addr[ETH_ALEN];

	simnic_hw_perm_addr(pf->fn, addr);
	attrs.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL;
	attrs.phys.port_number = 0;
	memcpy(attrs.switch_id.id, addr, ETH_ALEN);
	attrs.switch_id.id_len = ETH_ALEN;
	devlink_port_attrs_set(&pf->uplink, &attrs);
	return devl_port_register(priv_to_devlink(pf), &pf->uplink, 0);
}

/**
 * simnic_pf_uplink_create - the uplink port and the PF netdev on it
 * @pf: the PF, its devlink instance locked, without either
 *
 * At probe, and in the second half of a devlink reload, whose first half removed
 * both (simnic_pf_uplink_destroy()).
 */
int simnic_pf_uplink_create(struct simnic_pf *pf)
{
	int err;

	devl_assert_locked(priv_to_devlink(pf));
	err = simnic_pf_inject(SIMNIC_PF_PROBE_PORT) ?: simnic_pf_devlink_port_register(pf);
	if (err)
		return err;
	err = simnic_pf_fail_step(SIMNIC_PF_STEP_UPLINK) ?: simnic_pf_netdev_create(pf);
	if (err)
		goto err_port_unregister;
	return 0;

err_port_unregister:
	devl_port_unregister(&pf->uplink);
	return err;
}

/**
 * simnic_pf_uplink_destroy - the PF netdev and the uplink port go
 * @pf: the PF, its devlink instance locked
 *
 * At remove, and in the first half of a devlink reload. Nothing to do when a reload
 * already removed them and failed to make them again.
 */
void simnic_pf_uplink_destroy(struct simnic_pf *pf)
{
	devl_assert_locked(priv_to_devlink(pf));
	if (!pf->netdev)
		return;
	simnic_pf_netdev_destroy(pf);
	devl_port_unregister(&pf->uplink);
}

void simnic_pf_devlink_port_set_netdev(struct simnic_pf *pf)
{
	simnic_devlink_port_type_eth_set(&pf->uplink, pf->netdev);
}

/* Before the netdev goes: the port must not point to a freed netdev */
void simnic_pf_devlink_port_clear_netdev(struct simnic_pf *pf)
{
	simnic_devlink_port_type_clear(&pf->uplink);
}
