// SPDX-License-Identifier: GPL-2.0
/* ethtool of the VF, as an iavf user expects: -i, link settings, --reset, -g/-G ring
 * sizes, -l/-L channels, -S (per queue, and the PF's counters of this VF), msglvl
 */
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/stringify.h>
#include <simnic/simnic_version.h>
#include "simnic_vf.h"

static void simnic_vf_get_drvinfo(struct net_device *netdev,
				  struct ethtool_drvinfo *info)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	strscpy(info->driver, SIMNIC_VF_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, SIMNIC_VERSION, sizeof(info->version));
	strscpy(info->bus_info, pci_name(vf->pdev), sizeof(info->bus_info));
	mutex_lock(&vf->lock);
	snprintf(info->fw_version, sizeof(info->fw_version), "virtchnl %u.%u",
		 vf->vc.pf_ver.major, vf->vc.pf_ver.minor);
	mutex_unlock(&vf->lock);
}

/* The link is the PF's, as its LINK_CHANGE events tell: speed only, no autoneg */
static int simnic_vf_get_link_ksettings(struct net_device *netdev,
					struct ethtool_link_ksettings *cmd)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	cmd->base.autoneg = AUTONEG_DISABLE;
	cmd->base.port = PORT_NONE;
	mutex_lock(&vf->lock);
	if (vf->link_up) {
		cmd->base.speed = vf->link_speed;
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	mutex_unlock(&vf->lock);
	return 0;
}

/* ethtool --reset DEV dedicated (or all): the VF asks the PF for a reset, as after a
 * timeout. Only the whole function can be reset; shared components are the PF's.
 */
static int simnic_vf_ethtool_reset(struct net_device *netdev, u32 *flags)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	int err = 0;

	if ((*flags & ETH_RESET_DEDICATED) != ETH_RESET_DEDICATED) {
		netdev_err(netdev, "only a reset of the whole VF is supported: ethtool --reset %s dedicated\n",
			   netdev->name);
		return -EOPNOTSUPP;
	}
	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_READY) {
		netdev_err(netdev, "cannot reset now: the VF is still negotiating with the PF\n");
		err = -EBUSY;
	} else {
		simnic_vf_request_reset(vf, "reset requested through ethtool");
		*flags &= ~ETH_RESET_DEDICATED;
	}
	mutex_unlock(&vf->lock);
	return err;
}

static u32 simnic_vf_get_msglevel(struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	return READ_ONCE(vf->msg_enable);
}

static void simnic_vf_set_msglevel(struct net_device *netdev, u32 level)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	WRITE_ONCE(vf->msg_enable, level);
}

static void simnic_vf_get_ringparam(struct net_device *netdev,
				    struct ethtool_ringparam *ring,
				    struct kernel_ethtool_ringparam *kring,
				    struct netlink_ext_ack *extack)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	ring->rx_max_pending = SIMNIC_RING_MAX;
	ring->tx_max_pending = SIMNIC_RING_MAX;
	mutex_lock(&vf->lock);
	ring->rx_pending = vf->rx_ring_len;
	ring->tx_pending = vf->tx_ring_len;
	mutex_unlock(&vf->lock);
}

/* The core refuses more than the max; the PF refuses less than the min, which we say
 * first. Running queues are stopped and configured again with the new lengths.
 */
static int simnic_vf_set_ringparam(struct net_device *netdev,
				   struct ethtool_ringparam *ring,
				   struct kernel_ethtool_ringparam *kring,
				   struct netlink_ext_ack *extack)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	int restart, err;

	if (ring->rx_pending < SIMNIC_RING_MIN || ring->tx_pending < SIMNIC_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "rings must have at least "
				   __stringify(SIMNIC_RING_MIN) " descriptors");
		return -EINVAL;
	}
	mutex_lock(&vf->lock);
	if (ring->rx_pending == vf->rx_ring_len && ring->tx_pending == vf->tx_ring_len) {
		err = 0;
		goto out_unlock;
	}
	restart = simnic_vf_reconfig_begin(vf);
	if (restart < 0) {
		NL_SET_ERR_MSG_MOD(extack, "the VF is recovering from a reset, try again");
		err = restart;
		goto out_unlock;
	}
	vf->rx_ring_len = ring->rx_pending;
	vf->tx_ring_len = ring->tx_pending;
	err = simnic_vf_reconfig_end(vf, restart);
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

/* Combined channels only: one vector per queue pair, as many pairs as the PF grants */
static void simnic_vf_get_channels(struct net_device *netdev,
				   struct ethtool_channels *ch)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	mutex_lock(&vf->lock);
	ch->max_combined = vf->max_qps;
	ch->combined_count = vf->num_qps;
	mutex_unlock(&vf->lock);
}

static int simnic_vf_set_channels(struct net_device *netdev,
				  struct ethtool_channels *ch)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	int restart, err;
	u16 n;

	ASSERT_RTNL();
	if (ch->rx_count || ch->tx_count || ch->other_count) {
		netdev_err(netdev, "only combined channels are supported\n");
		return -EINVAL;
	}
	mutex_lock(&vf->lock);
	if (!ch->combined_count || ch->combined_count > vf->max_qps) {
		netdev_err(netdev, "combined channels must be 1 to %u (what the PF grants), not %u\n",
			   vf->max_qps, ch->combined_count);
		err = -EINVAL;
		goto out_unlock;
	}
	n = ch->combined_count;
	if (n == vf->num_qps) {
		err = 0;
		goto out_unlock;
	}
	restart = simnic_vf_reconfig_begin(vf);
	if (restart < 0) {
		netdev_err(netdev, "cannot change channels now: the VF is recovering from a reset, try again\n");
		err = restart;
		goto out_unlock;
	}
	/* the rings, their NAPI and the netdev's queues exist for SIMNIC_MAX_QUEUES */
	err = netif_set_real_num_queues(netdev, n, n);
	if (!err) {
		vf->num_qps = n;
		vf->rings_used = max(vf->rings_used, n);
	}
	restart = simnic_vf_reconfig_end(vf, restart);
	err = err ?: restart;
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

/* The PF's counters of this VF (VIRTCHNL_OP_GET_STATS), with iavf's names; not
 * rx_unknown_protocol and tx_errors, which simnic's switch never counts
 */
static const struct {
	char name[ETH_GSTRING_LEN];
	size_t offset;
} simnic_vf_pf_stats[] = {
#define SIMNIC_VF_PF_STAT(f) { #f, offsetof(struct simnic_vc_eth_stats, f) }
	SIMNIC_VF_PF_STAT(rx_bytes),
	SIMNIC_VF_PF_STAT(rx_unicast),
	SIMNIC_VF_PF_STAT(rx_multicast),
	SIMNIC_VF_PF_STAT(rx_broadcast),
	SIMNIC_VF_PF_STAT(rx_discards),
	SIMNIC_VF_PF_STAT(tx_bytes),
	SIMNIC_VF_PF_STAT(tx_unicast),
	SIMNIC_VF_PF_STAT(tx_multicast),
	SIMNIC_VF_PF_STAT(tx_broadcast),
	SIMNIC_VF_PF_STAT(tx_discards),
#undef SIMNIC_VF_PF_STAT
};

#define SIMNIC_VF_PF_STATS	ARRAY_SIZE(simnic_vf_pf_stats)
#define SIMNIC_VF_TX_STATS	2	/* tx_stopped, tx_busy: the rings' sums */
#define SIMNIC_VF_RING_STATS	4	/* tx packets, tx bytes, rx packets, rx bytes */

/* Under rtnl, which keeps rings_used the same from the count to the values */
static int simnic_vf_get_sset_count(struct net_device *netdev, int sset)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return SIMNIC_VF_PF_STATS + SIMNIC_VF_TX_STATS +
	       SIMNIC_VF_RING_STATS * READ_ONCE(vf->rings_used);
}

static void simnic_vf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < SIMNIC_VF_PF_STATS; i++)
		ethtool_puts(&data, simnic_vf_pf_stats[i].name);
	ethtool_puts(&data, "tx_stopped");
	ethtool_puts(&data, "tx_busy");
	for (i = 0; i < READ_ONCE(vf->rings_used); i++) {
		ethtool_sprintf(&data, "tx-%u.packets", i);
		ethtool_sprintf(&data, "tx-%u.bytes", i);
		ethtool_sprintf(&data, "rx-%u.packets", i);
		ethtool_sprintf(&data, "rx-%u.bytes", i);
	}
}

/* Ask the watchdog for the PF's counters and wait a bounded time for them: without an
 * answer (a reset, a slow PF), ethtool -S shows the last ones fetched
 */
static void simnic_vf_fetch_pf_stats(struct simnic_vf *vf)
{
	u32 seq;

	mutex_lock(&vf->lock);
	if (vf->state != SIMNIC_VF_READY) {
		mutex_unlock(&vf->lock);
		return;
	}
	seq = vf->eth_stats_seq;
	set_bit(SIMNIC_VF_AQ_GET_STATS, &vf->vc.aq_required);
	simnic_vf_kick(vf);
	mutex_unlock(&vf->lock);
	wait_event_timeout(vf->vc.wq, READ_ONCE(vf->eth_stats_seq) != seq ||
			   READ_ONCE(vf->state) == SIMNIC_VF_REMOVING,
			   SIMNIC_VF_STATS_WAIT);
}

static void simnic_vf_get_ethtool_stats(struct net_device *netdev,
					struct ethtool_stats *stats, u64 *data)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	struct simnic_vc_eth_stats es;
	struct simnic_vf_ring *ring;
	unsigned int start, i;
	u64 *tx_stats;
	u64 stopped, busy;

	simnic_vf_fetch_pf_stats(vf);
	mutex_lock(&vf->lock);
	es = vf->eth_stats;
	mutex_unlock(&vf->lock);
	for (i = 0; i < SIMNIC_VF_PF_STATS; i++)
		*data++ = *(u64 *)((u8 *)&es + simnic_vf_pf_stats[i].offset);
	tx_stats = data;
	tx_stats[0] = 0;
	tx_stats[1] = 0;
	data += SIMNIC_VF_TX_STATS;
	for (i = 0; i < READ_ONCE(vf->rings_used); i++) {
		ring = &vf->rings[i];
		do {
			start = u64_stats_fetch_begin(&ring->tx_syncp);
			data[0] = ring->tx_packets;
			data[1] = ring->tx_bytes;
			stopped = ring->tx_stopped;
			busy = ring->tx_busy;
		} while (u64_stats_fetch_retry(&ring->tx_syncp, start));
		tx_stats[0] += stopped;
		tx_stats[1] += busy;
		do {
			start = u64_stats_fetch_begin(&ring->rx_syncp);
			data[2] = ring->rx_packets;
			data[3] = ring->rx_bytes;
		} while (u64_stats_fetch_retry(&ring->rx_syncp, start));
		data += SIMNIC_VF_RING_STATS;
	}
}

/* RSS (ethtool -x, -X): the key and the table the PF programs into the switch's rx
 * queue choice, as iavf sets them with CONFIG_RSS_KEY and CONFIG_RSS_LUT. None if
 * the PF did not give RSS.
 */
static u32 simnic_vf_get_rxfh_key_size(struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	return READ_ONCE(vf->rss.key_size);
}

static u32 simnic_vf_get_rxfh_indir_size(struct net_device *netdev)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	return READ_ONCE(vf->rss.lut_size);
}

int simnic_rxfh_get(struct net_device *netdev, u32 *indir, u8 *key)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	u16 i;

	mutex_lock(&vf->lock);
	if (!vf->rss.key_size) {
		mutex_unlock(&vf->lock);
		return -EOPNOTSUPP;
	}
	simnic_vf_rss_lut_default(vf);
	for (i = 0; indir && i < vf->rss.lut_size; i++)
		indir[i] = vf->rss.lut[i];
	if (key)
		memcpy(key, vf->rss.key, vf->rss.key_size);
	mutex_unlock(&vf->lock);
	return 0;
}

int simnic_rxfh_set(struct net_device *netdev, const u32 *indir, const u8 *key, u8 hfunc)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);
	u16 i;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP) {
		netdev_err(netdev, "RSS hashes with Toeplitz only\n");
		return -EOPNOTSUPP;
	}
	mutex_lock(&vf->lock);
	if (!vf->rss.key_size) {
		mutex_unlock(&vf->lock);
		return -EOPNOTSUPP;
	}
	/* the ethtool core checked the entries against the channels (get_rxnfc) */
	for (i = 0; indir && i < vf->rss.lut_size; i++)
		vf->rss.lut[i] = indir[i];
	if (key)
		memcpy(vf->rss.key, key, vf->rss.key_size);
	if (vf->up && vf->state == SIMNIC_VF_READY) {
		simnic_vf_rss_request(vf);
		simnic_vf_kick(vf);
	}
	mutex_unlock(&vf->lock);
	return 0;
}

/* ETHTOOL_GRXRINGS: the queues RSS may name, which ethtool -x and -X ask for */
static int simnic_vf_get_rxnfc(struct net_device *netdev, struct ethtool_rxnfc *cmd,
			       u32 *rule_locs)
{
	struct simnic_vf *vf = simnic_netdev_to_vf(netdev);

	if (cmd->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	cmd->data = READ_ONCE(vf->num_qps);
	return 0;
}

static const struct ethtool_ops simnic_vf_ethtool_ops = {
	.reset = simnic_vf_ethtool_reset,
	.get_drvinfo = simnic_vf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = simnic_vf_get_link_ksettings,
	.get_msglevel = simnic_vf_get_msglevel,
	.set_msglevel = simnic_vf_set_msglevel,
	.get_ringparam = simnic_vf_get_ringparam,
	.set_ringparam = simnic_vf_set_ringparam,
	.get_channels = simnic_vf_get_channels,
	.set_channels = simnic_vf_set_channels,
	.get_sset_count = simnic_vf_get_sset_count,
	.get_strings = simnic_vf_get_strings,
	.get_ethtool_stats = simnic_vf_get_ethtool_stats,
	.get_rxnfc = simnic_vf_get_rxnfc,
	.get_rxfh_key_size = simnic_vf_get_rxfh_key_size,
	.get_rxfh_indir_size = simnic_vf_get_rxfh_indir_size,
	.get_rxfh = simnic_get_rxfh,
	.set_rxfh = simnic_set_rxfh,
};

void simnic_vf_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &simnic_vf_ethtool_ops;
}
