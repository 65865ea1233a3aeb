/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_vf: the VF driver, in the manner of iavf */
#ifndef _SIMNIC_VF_H_
#define _SIMNIC_VF_H_

#include <linux/if_ether.h>
#include <linux/avf/virtchnl.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <simnic/simnic_hw_if.h>

#define SIMNIC_VF_DRV_NAME	"simnic_vf"
#define SIMNIC_VF_OP_TIMEOUT	(5 * HZ)	/* a reply later than this is lost */
#define SIMNIC_VF_WATCHDOG_IDLE	(2 * HZ)

/* Where the VF is in its life; the init states are walked by the watchdog */
enum simnic_vf_state {
	SIMNIC_VF_STARTUP,		/* waiting for the PF to mark us active */
	SIMNIC_VF_INIT_VERSION,		/* VERSION sent */
	SIMNIC_VF_INIT_RESOURCES,	/* GET_VF_RESOURCES sent */
	SIMNIC_VF_INIT_NETDEV,		/* resources known, netdev to register */
	SIMNIC_VF_READY,		/* netdev registered: down or up */
	SIMNIC_VF_REMOVING,
};

/* Requests the watchdog sends to the PF, one at a time, highest bit first */
enum simnic_vf_aq_bit {
	SIMNIC_VF_AQ_ADD_MAC,
	SIMNIC_VF_AQ_CONFIG_QUEUES,
	SIMNIC_VF_AQ_MAP_VECTORS,
	SIMNIC_VF_AQ_ENABLE_QUEUES,
	SIMNIC_VF_AQ_DISABLE_QUEUES,
	SIMNIC_VF_AQ_NBITS,
};

struct simnic_vf_ring {
	struct simnic_vf *vf;
	struct napi_struct napi;
	u16 qid;
	/* syncp protects the counters below, written by NAPI or xmit only */
	struct u64_stats_sync syncp;
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
};

struct simnic_vf {
	struct pci_dev *pdev;
	struct simnic_fn *fn;
	struct net_device *netdev;
	bool registered;		/* netdev registered; written with lock and rtnl */

	/* lock protects state, aq_required, current_op, op_deadline, the resources
	 * and link fields, and serialises the watchdog, the admin queue task and the
	 * netdev ops that talk to the PF. Taken inside rtnl_lock, never around it.
	 */
	struct mutex lock;
	enum simnic_vf_state state;
	unsigned long aq_required;
	u32 current_op;			/* VIRTCHNL_OP_UNKNOWN when none in flight */
	unsigned long op_deadline;	/* jiffies */
	bool up;			/* ndo_open done, queues wanted */
	bool link_up;
	u32 link_speed;			/* Mb/s */

	struct virtchnl_version_info pf_ver;
	u32 caps;
	u16 vsi_id;
	u16 max_qps;			/* granted by the PF */
	u16 num_qps;			/* in use */
	u8 mac[ETH_ALEN];
	struct simnic_vf_ring *rings;

	struct delayed_work watchdog;
	struct work_struct adminq_task;
	struct simnic_mbx_msg *msg;	/* receive buffer, adminq_task only */
};

extern struct workqueue_struct *simnic_vf_wq;

/* simnic_vf_main.c */
void simnic_vf_kick(struct simnic_vf *vf);

/* simnic_vf_virtchnl.c */
int simnic_vf_send_version(struct simnic_vf *vf);
int simnic_vf_send_get_resources(struct simnic_vf *vf);
void simnic_vf_send_next(struct simnic_vf *vf);
void simnic_vf_process_msg(struct simnic_vf *vf, struct simnic_mbx_msg *m);

/* simnic_vf_netdev.c */
int simnic_vf_netdev_register(struct simnic_vf *vf);
void simnic_vf_netdev_unregister(struct simnic_vf *vf);
void simnic_vf_queues_enabled(struct simnic_vf *vf);
void simnic_vf_set_link(struct simnic_vf *vf, bool up, u32 speed);

#endif /* _SIMNIC_VF_H_ */
