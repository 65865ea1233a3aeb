/* SPDX-License-Identifier: GPL-2.0 */
/* What simnic's PF and VF drivers say over virtchnl beyond <linux/avf/virtchnl.h> of
 * the kernels they build against. Protocol only: the hardware knows nothing of it.
 */
#ifndef _SIMNIC_VIRTCHNL_H_
#define _SIMNIC_VIRTCHNL_H_

#include <linux/avf/virtchnl.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/* simnic's own capability, in a bit no virtchnl.h of 6.1 or 6.12 uses: the switch
 * hands the VF's rx queues TSO frames whole (hardware GRO, NETIF_F_GRO_HW), on the
 * queues whose receive buffers the VF makes SIMNIC_VC_RX_GSO_BUF bytes long in
 * VIRTCHNL_OP_CONFIG_VSI_QUEUES (rxq.databuffer_size), large enough for any GSO frame
 * of GSO_LEGACY_MAX_SIZE. Without it (or with smaller buffers) the VF gets every TSO
 * frame as the MTU-sized frames it stands for.
 */
#define SIMNIC_VF_OFFLOAD_RX_GSO	BIT(14)
#define SIMNIC_VC_RX_GSO_BUF		65536

/* The reply to VIRTCHNL_OP_GET_STATS: the PF's counters of the VF's VSI, the layout
 * iavf reads (struct iavf_eth_stats; virtchnl_eth_stats in later kernels), which the
 * 6.1 header does not define
 */
struct simnic_vc_eth_stats {
	u64 rx_bytes;
	u64 rx_unicast;
	u64 rx_multicast;
	u64 rx_broadcast;
	u64 rx_discards;
	u64 rx_unknown_protocol;
	u64 tx_bytes;
	u64 tx_unicast;
	u64 tx_multicast;
	u64 tx_broadcast;
	u64 tx_discards;
	u64 tx_errors;
};

static_assert(sizeof(struct simnic_vc_eth_stats) == 96);

/* The name of virtchnl opcode @op, for the logs of both drivers: "unknown" for one
 * neither driver uses
 */
static inline const char *simnic_vc_op_str(u32 op)
{
	switch (op) {
	case VIRTCHNL_OP_UNKNOWN:
		return "UNKNOWN";
	case VIRTCHNL_OP_VERSION:
		return "VERSION";
	case VIRTCHNL_OP_RESET_VF:
		return "RESET_VF";
	case VIRTCHNL_OP_GET_VF_RESOURCES:
		return "GET_VF_RESOURCES";
	case VIRTCHNL_OP_CONFIG_TX_QUEUE:
		return "CONFIG_TX_QUEUE";
	case VIRTCHNL_OP_CONFIG_RX_QUEUE:
		return "CONFIG_RX_QUEUE";
	case VIRTCHNL_OP_CONFIG_VSI_QUEUES:
		return "CONFIG_VSI_QUEUES";
	case VIRTCHNL_OP_CONFIG_IRQ_MAP:
		return "CONFIG_IRQ_MAP";
	case VIRTCHNL_OP_ENABLE_QUEUES:
		return "ENABLE_QUEUES";
	case VIRTCHNL_OP_DISABLE_QUEUES:
		return "DISABLE_QUEUES";
	case VIRTCHNL_OP_ADD_ETH_ADDR:
		return "ADD_ETH_ADDR";
	case VIRTCHNL_OP_DEL_ETH_ADDR:
		return "DEL_ETH_ADDR";
	case VIRTCHNL_OP_ADD_VLAN:
		return "ADD_VLAN";
	case VIRTCHNL_OP_DEL_VLAN:
		return "DEL_VLAN";
	case VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE:
		return "CONFIG_PROMISCUOUS_MODE";
	case VIRTCHNL_OP_GET_STATS:
		return "GET_STATS";
	case VIRTCHNL_OP_EVENT:
		return "EVENT";
	case VIRTCHNL_OP_CONFIG_RSS_KEY:
		return "CONFIG_RSS_KEY";
	case VIRTCHNL_OP_CONFIG_RSS_LUT:
		return "CONFIG_RSS_LUT";
	case VIRTCHNL_OP_GET_RSS_HENA_CAPS:
		return "GET_RSS_HENA_CAPS";
	case VIRTCHNL_OP_SET_RSS_HENA:
		return "SET_RSS_HENA";
	case VIRTCHNL_OP_ENABLE_VLAN_STRIPPING:
		return "ENABLE_VLAN_STRIPPING";
	case VIRTCHNL_OP_DISABLE_VLAN_STRIPPING:
		return "DISABLE_VLAN_STRIPPING";
	case VIRTCHNL_OP_REQUEST_QUEUES:
		return "REQUEST_QUEUES";
	case VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS:
		return "GET_OFFLOAD_VLAN_V2_CAPS";
	case VIRTCHNL_OP_ADD_VLAN_V2:
		return "ADD_VLAN_V2";
	case VIRTCHNL_OP_DEL_VLAN_V2:
		return "DEL_VLAN_V2";
	case VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2:
		return "ENABLE_VLAN_STRIPPING_V2";
	case VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2:
		return "DISABLE_VLAN_STRIPPING_V2";
	case VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2:
		return "ENABLE_VLAN_INSERTION_V2";
	case VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2:
		return "DISABLE_VLAN_INSERTION_V2";
	default:
		return "unknown";
	}
}

#endif /* _SIMNIC_VIRTCHNL_H_ */
