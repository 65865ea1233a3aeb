/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_compat.h: what differs among the kernels simnic builds against, from Debian
 * 12's 6.1 to its 6.12 backport. It is the only place that knows kernel versions: the
 * drivers call the simnic_* helpers below and never test LINUX_VERSION_CODE. Each
 * item is keyed on the release whose merge window changed the API upstream.
 */
#ifndef _SIMNIC_COMPAT_H_
#define _SIMNIC_COMPAT_H_

#include <linux/avf/virtchnl.h>
#include <linux/ethtool.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/version.h>
#include <net/devlink.h>

/* skb_gso_segment() and friends moved from <linux/netdevice.h> to <net/gso.h> in 6.5 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

/* devlink_info_driver_name_put() went in 6.2: the core reports the driver's name */
static inline int simnic_devlink_info_driver_name_put(struct devlink_info_req *req,
						      const char *name)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return devlink_info_driver_name_put(req, name);
#else
	return 0;
#endif
}

/* 6.2 ties a netdev to its devlink port with SET_NETDEV_DEVLINK_PORT() before
 * register_netdev(), and the core sets the port's type and netdev at registration and
 * clears them at unregistration. ndo_get_devlink_port went, and
 * devlink_port_type_eth_set() lost its netdev (called since, it would warn and drop
 * the link): before 6.2 the driver gives the ndo and sets and clears the type itself.
 * A function given to SIMNIC_NDO_GET_DEVLINK_PORT() is unused since 6.2.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define SIMNIC_NDO_GET_DEVLINK_PORT(fn)	.ndo_get_devlink_port = (fn),
#else
#define SIMNIC_NDO_GET_DEVLINK_PORT(fn)
#endif

static inline void simnic_set_netdev_devlink_port(struct net_device *netdev,
						  struct devlink_port *port)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	SET_NETDEV_DEVLINK_PORT(netdev, port);
#endif
}

static inline void simnic_devlink_port_type_eth_set(struct devlink_port *port,
						    struct net_device *netdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	devlink_port_type_eth_set(port, netdev);
#endif
}

static inline void simnic_devlink_port_type_clear(struct devlink_port *port)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	devlink_port_type_clear(port);
#endif
}

/* devlink_set_features() went in 6.3: reload needs only the reload ops since */
static inline void simnic_devlink_enable_reload(struct devlink *devlink)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	devlink_set_features(devlink, DEVLINK_F_RELOAD);
#endif
}

/* devlink_param_driverinit_value_get/set() became devl_*() in 6.3, whose set wants
 * the instance lock held (and returns void). 6.1's take no lock: simnic holds it for
 * both on every kernel, and asserts it here so that 6.1's lockdep checks the rule too.
 */
static inline int simnic_devl_param_driverinit_value_get(struct devlink *devlink,
							 u32 param_id,
							 union devlink_param_value *val)
{
	devl_assert_locked(devlink);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	return devlink_param_driverinit_value_get(devlink, param_id, val);
#else
	return devl_param_driverinit_value_get(devlink, param_id, val);
#endif
}

static inline int simnic_devl_param_driverinit_value_set(struct devlink *devlink,
							 u32 param_id,
							 union devlink_param_value val)
{
	devl_assert_locked(devlink);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	return devlink_param_driverinit_value_set(devlink, param_id, val);
#else
	devl_param_driverinit_value_set(devlink, param_id, val);
	return 0;
#endif
}

/* The devlink_fmsg_*() putters return void since 6.7: a failure is kept in the fmsg,
 * and the core fails the dump or diagnose for it. simnic's health reporters are
 * written that way and need nothing here. Before 6.7 they drop the int the putters
 * return: an item that cannot be allocated is left out of the reply (which may then
 * miss a nest's start or end) instead of failing it with -ENOMEM, the only error
 * simnic's short names and values can meet there.
 */

/* NETIF_F_LLTX became the netdev->lltx bit in 6.12 */
static inline void simnic_netdev_set_lltx(struct net_device *netdev)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	netdev->features |= NETIF_F_LLTX;
#else
	netdev->lltx = true;
#endif
}

/* The bytes on the wire of virtchnl message *@p with @c elements in its array @m. The
 * wire format kept the sizes of the one-element arrays virtchnl.h had until 6.7,
 * which made them flexible arrays and added virtchnl_struct_size() to size them as
 * before. Until then sizeof() counts the one element, and the formulas are
 * virtchnl_struct_size()'s: simnic_vc_size() for the lists whose size has room for
 * one element and @c more (resources, queue and vector maps, MAC and VLAN V1 lists:
 * "__vss_full"), simnic_vc_size_v2() for the VLAN V2 list and the RSS key and table
 * ("__vss_byelem", "__vss_byone": the same bytes), @c elements in all.
 * sizeof() of these structs means something else on each side of 6.7: size them
 * with these only.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
#define simnic_vc_size(p, m, c)		struct_size(p, m, c)
#define simnic_vc_size_v2(p, m, c)	struct_size(p, m, (c) - 1)
#else
#define simnic_vc_size(p, m, c)		virtchnl_struct_size(p, m, c)
#define simnic_vc_size_v2(p, m, c)	virtchnl_struct_size(p, m, c)
#endif

/* ethtool's RSS callbacks took the table, the key and the hash function as arguments
 * until 6.8, then struct ethtool_rxfh_param. simnic_get_rxfh() and simnic_set_rxfh()
 * are .get_rxfh and .set_rxfh for either, over simnic_rxfh_get() and simnic_rxfh_set()
 * of the driver that uses them (NULL for what is not asked for or not changed);
 * Toeplitz is the one hash function.
 */
int simnic_rxfh_get(struct net_device *netdev, u32 *indir, u8 *key);
int simnic_rxfh_set(struct net_device *netdev, const u32 *indir, const u8 *key, u8 hfunc);

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline int simnic_get_rxfh(struct net_device *netdev, u32 *indir, u8 *key,
				  u8 *hfunc)
{
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	return simnic_rxfh_get(netdev, indir, key);
}

static inline int simnic_set_rxfh(struct net_device *netdev, const u32 *indir,
				  const u8 *key, const u8 hfunc)
{
	return simnic_rxfh_set(netdev, indir, key, hfunc);
}
#else
static inline int simnic_get_rxfh(struct net_device *netdev, struct ethtool_rxfh_param *p)
{
	p->hfunc = ETH_RSS_HASH_TOP;
	return simnic_rxfh_get(netdev, p->indir, p->key);
}

static inline int simnic_set_rxfh(struct net_device *netdev, struct ethtool_rxfh_param *p,
				  struct netlink_ext_ack *extack)
{
	return simnic_rxfh_set(netdev, p->indir, p->key, p->hfunc);
}
#endif

/* The hardware interface (include/simnic/simnic_hw_if.h) is exported into the
 * SIMNIC_HW symbol namespace, as iwlwifi exports its core's into IWLWIFI: a module
 * that does not import it (the PF and VF drivers do) cannot link against simnic_hw,
 * and modpost refuses to build it. 6.13 made the namespace a string. (The name
 * begins with EXPORT_SYMBOL, which checkpatch knows to follow a function directly.)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#define EXPORT_SYMBOL_SIMNIC_HW(sym)	EXPORT_SYMBOL_NS_GPL(sym, SIMNIC_HW)
#define SIMNIC_HW_IMPORT()	MODULE_IMPORT_NS(SIMNIC_HW)
#else
#define EXPORT_SYMBOL_SIMNIC_HW(sym)	EXPORT_SYMBOL_NS_GPL(sym, "SIMNIC_HW")
#define SIMNIC_HW_IMPORT()	MODULE_IMPORT_NS("SIMNIC_HW")
#endif

/* 6.8 added ethtool_puts() for a string copied as it is; before, as 6.8 defines it */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

#endif /* _SIMNIC_COMPAT_H_ */
