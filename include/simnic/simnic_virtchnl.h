/* SPDX-License-Identifier: GPL-2.0 */
/* What simnic's PF and VF drivers say over virtchnl beyond <linux/avf/virtchnl.h> of
 * the kernels they build against. Protocol only: the hardware knows nothing of it.
 */
#ifndef _SIMNIC_VIRTCHNL_H_
#define _SIMNIC_VIRTCHNL_H_

#include <linux/build_bug.h>
#include <linux/types.h>

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

#endif /* _SIMNIC_VIRTCHNL_H_ */
