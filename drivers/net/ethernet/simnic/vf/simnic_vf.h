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
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <simnic/simnic_compat.h>
#include <simnic/simnic_hw_if.h>
#include <simnic/simnic_virtchnl.h>

struct devlink;
struct devlink_health_reporter;

#define SIMNIC_VF_DRV_NAME	"simnic_vf"
/* a reply later than this is lost (module parameter op_timeout_ms) */
extern unsigned int simnic_vf_op_timeout_ms;
#define SIMNIC_VF_OP_TIMEOUT	msecs_to_jiffies(simnic_vf_op_timeout_ms)
/* A VF whose requests go unanswered resets itself, but no sooner than a backoff after
 * its last such reset; the backoff doubles up to the max, and is forgotten after the VF
 * has gone that long without a timeout.
 */
#define SIMNIC_VF_BACKOFF_MIN	HZ
#define SIMNIC_VF_BACKOFF_MAX	(64 * HZ)
#define SIMNIC_VF_WATCHDOG_IDLE	(2 * HZ)
/* While the PF is not ready for us (reset in progress, card away), the watchdog looks
 * again after a wait that doubles from the min to the max. A recovery not done after
 * recovery_timeout_ms (module parameter) is reported failed; the watchdog goes on.
 */
#define SIMNIC_VF_STARTUP_WAIT_MIN	max(HZ / 50, 1)
#define SIMNIC_VF_STARTUP_WAIT_MAX	HZ
extern unsigned int simnic_vf_recovery_timeout_ms;

/* Recovery from a reset, as a user sees it in the log and in vc_stats */
enum simnic_vf_recovery {
	SIMNIC_VF_RECOVERY_NONE,	/* never reset since the netdev came */
	SIMNIC_VF_RECOVERING,
	SIMNIC_VF_RECOVERED,
	SIMNIC_VF_RECOVERY_FAILED,	/* past the timeout; still trying */
};

/* Where the VF is in its life; the init states are walked by the watchdog */
enum simnic_vf_state {
	SIMNIC_VF_STARTUP,		/* waiting for the PF to mark us active */
	SIMNIC_VF_INIT_VERSION,		/* VERSION sent */
	SIMNIC_VF_INIT_RESOURCES,	/* GET_VF_RESOURCES sent */
	SIMNIC_VF_INIT_VLAN_CAPS,	/* GET_OFFLOAD_VLAN_V2_CAPS sent */
	SIMNIC_VF_INIT_NETDEV,		/* resources known: register, or rebuild after reset */
	SIMNIC_VF_READY,		/* netdev registered: down or up */
	SIMNIC_VF_REMOVING,
};

/* The VLAN filter protocol the PF and we agreed on */
enum simnic_vf_vlan_proto {
	SIMNIC_VF_VLAN_NONE,		/* VLAN V2 without filters (a port VLAN) */
	/* No VLAN capability at all (a PF whose eswitch is in switchdev mode, as ice's):
	 * NETIF_F_HW_VLAN_CTAG_FILTER off, VLAN devices pass unfiltered, as in iavf
	 */
	SIMNIC_VF_VLAN_OFF,
	SIMNIC_VF_VLAN_V1,		/* VIRTCHNL_OP_ADD_VLAN / DEL_VLAN */
	SIMNIC_VF_VLAN_V2,		/* VIRTCHNL_OP_ADD_VLAN_V2 / DEL_VLAN_V2 */
};

/* A VLAN filter's life, as iavf's (enum iavf_vlan_state_t): ADD -> ADDING -> ACTIVE ->
 * REMOVE -> REMOVING -> freed. ADDING and REMOVING are in flight to the PF.
 */
enum simnic_vf_vlan_state {
	SIMNIC_VLAN_ADD,		/* to be sent in an ADD */
	SIMNIC_VLAN_ADDING,		/* ADD sent, no reply yet */
	SIMNIC_VLAN_ACTIVE,		/* the PF has it */
	SIMNIC_VLAN_REMOVE,		/* to be sent in a DEL */
	SIMNIC_VLAN_REMOVING,		/* DEL sent, no reply yet */
};

struct simnic_vf_vlan {
	struct list_head list;		/* in vf->vlan.list */
	u16 vid;
	enum simnic_vf_vlan_state state;
	bool wanted;			/* the user wants it; decides where replies lead */
};

/* Someone waiting in ndo_vlan_rx_add_vid for the PF's answer about @vid (V1) */
struct simnic_vf_vlan_waiter {
	struct list_head list;		/* in vf->vlan.waiters */
	u16 vid;
	int err;
	bool done;
};

/* An address of the netdev's unicast or multicast list, as the PF has it */
enum simnic_vf_addr_state {
	SIMNIC_ADDR_ADD,		/* to be sent in an ADD_ETH_ADDR */
	SIMNIC_ADDR_ADDING,		/* ADD sent, no reply yet */
	SIMNIC_ADDR_ACTIVE,		/* the PF has it */
	SIMNIC_ADDR_REFUSED,		/* over the PF's limit */
	SIMNIC_ADDR_REMOVE,		/* to be sent in a DEL_ETH_ADDR */
	SIMNIC_ADDR_REMOVING,		/* DEL sent, no reply yet */
};

#define SIMNIC_VF_RX_MODE_CHANGED	0	/* bit in rx_mode_req */

/* Requests the watchdog sends to the PF, one at a time, lowest bit first */
enum simnic_vf_aq_bit {
	SIMNIC_VF_AQ_ADD_MAC,
	SIMNIC_VF_AQ_CHANGE_MAC,	/* the user's new MAC (mac_req) */
	SIMNIC_VF_AQ_DEL_VLAN,
	SIMNIC_VF_AQ_ADD_VLAN,
	SIMNIC_VF_AQ_VLAN_STRIP,	/* the tag offloads, as the features want them */
	SIMNIC_VF_AQ_VLAN_INSERT,
	/* before CONFIG_QUEUES: a reconfiguration disables, then configures anew */
	SIMNIC_VF_AQ_DISABLE_QUEUES,
	SIMNIC_VF_AQ_CONFIG_QUEUES,
	SIMNIC_VF_AQ_MAP_VECTORS,
	SIMNIC_VF_AQ_ENABLE_QUEUES,
	SIMNIC_VF_AQ_RSS_KEY,		/* RSS, once the queues are configured */
	SIMNIC_VF_AQ_RSS_LUT,
	SIMNIC_VF_AQ_DEL_ADDRS,		/* the address lists, after the queues are back */
	SIMNIC_VF_AQ_ADD_ADDRS,
	SIMNIC_VF_AQ_PROMISC,
	SIMNIC_VF_AQ_GET_STATS,		/* the PF's counters of us, for ethtool -S */
	SIMNIC_VF_AQ_NBITS,
};

struct simnic_vf_ring {
	struct simnic_vf *vf;
	struct napi_struct napi;
	u16 qid;
	/* rx_syncp protects the rx counters, written by NAPI only */
	struct u64_stats_sync rx_syncp;
	u64 rx_packets;
	u64 rx_bytes;
	/* tx_syncp protects the tx counters, written by xmit only (the queue's lock),
	 * which runs on another CPU than NAPI: one writer per sequence counter
	 */
	struct u64_stats_sync tx_syncp;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
	u64 tx_stopped;			/* times a full ring stopped the queue */
	u64 tx_busy;			/* frames given back: the ring was full */
	/* The tx ring: tx_len descriptors, of which tx_next - simnic_hw_tx_done() are
	 * in use. tx_next is written by xmit only and read by NAPI; tx_len is set
	 * under vf->lock while the queue is stopped.
	 */
	u32 tx_next;			/* descriptors posted, free-running */
	u16 tx_len;
	bool tx_full;			/* xmit stopped the queue for a full ring */
};

/* RSS as negotiated (VIRTCHNL_VF_OFFLOAD_RSS_PF) and as ethtool -X set it; under
 * vf->lock. The table follows the channel count until the user sets one
 * (netif_is_rxfh_configured()).
 */
struct simnic_vf_rss {
	u16 key_size;			/* from GET_VF_RESOURCES; 0: no RSS */
	u16 lut_size;
	bool key_filled;		/* the key was drawn (netdev_rss_key_fill()) */
	u8 key[SIMNIC_RSS_KEY_SIZE];
	u8 lut[SIMNIC_RSS_LUT_SIZE];
};

/* The VF's state is in rooms, one per concern, each under vf->lock unless its comment
 * says otherwise; struct simnic_vf keeps what the whole driver uses. The lock table
 * of Documentation/networking/device_drivers/ethernet/simnic.rst has the order.
 */

/* virtchnl bookkeeping: the request in flight and what VERSION and GET_VF_RESOURCES
 * gave (simnic_vf_virtchnl.c); under vf->lock
 */
struct simnic_vf_vc {
	unsigned long aq_required;	/* SIMNIC_VF_AQ_* requests to send */
	u32 current_op;			/* VIRTCHNL_OP_UNKNOWN when none in flight */
	unsigned long op_deadline;	/* jiffies */
	wait_queue_head_t wq;		/* waiters (V1 VLAN adds, MAC changes, -S) wake here */
	struct virtchnl_version_info pf_ver;
	u32 caps;
	u16 vsi_id;
};

/* Resets and recovery: what the VF has seen of the device's resets and
 * reconfigurations and how it recovers (simnic_vf_main.c); under vf->lock
 */
struct simnic_vf_reset {
	u32 reset_seen;			/* device reset count we began recovering from */
	u32 ready_reset;		/* reset_seen when the VF last became READY */
	bool reset_requested;		/* RESET_VF sent or FLR coming: not reset yet */
	unsigned long reset_req_deadline; /* jiffies: stop waiting for it then */
	unsigned long self_reset_after;	/* jiffies: no self-reset before this */
	unsigned long self_reset_backoff; /* jiffies: the wait after the next one */
	unsigned long startup_wait;	/* jiffies: next wait for a PF not ready */
	enum simnic_vf_recovery recovery;
	ktime_t recovery_start;		/* the reset we recover from */
	unsigned int recovery_ms;	/* how long the last recovery took */
	u32 reconfig_seen;		/* device reconfiguration count acted on */
	bool recreate;			/* re-create queues and vectors before READY */
};

/* VLAN filters (simnic_vf_vlan.c); under vf->lock */
struct simnic_vf_vlans {
	enum simnic_vf_vlan_proto proto;
	u16 max;			/* V2 max_filters; 0 when the PF does not say */
	struct list_head list;		/* struct simnic_vf_vlan */
	struct list_head waiters;	/* struct simnic_vf_vlan_waiter */
	unsigned long last_add;		/* jiffies of the last new V2 add */
	unsigned long quiet;		/* the pause after it that ends the batch */
	unsigned long first_held;	/* jiffies of the oldest add not sent */
	bool batch_kick;		/* the watchdog is due for a held batch */
	bool one_by_one;		/* a batch was over the limit: ADD singly */
	/* VLAN V2's outer 802.1Q tag offloads: offered by the PF (with TOGGLE), wanted
	 * by the netdev's features (rxvlan, txvlan), on at the PF
	 */
	bool strip_offered;
	bool insert_offered;
	bool offers_changed;		/* since the features were last worked out */
	bool strip_want;
	bool insert_want;
	/* the PF inserts the tags xmit leaves in the descriptor; until it says so,
	 * xmit inserts them itself. Written under vf->lock, read by xmit.
	 */
	bool insert_on;
};

/* The address lists and promiscuous modes as the PF has them (simnic_vf_addr.c).
 * rx_mode_req (atomic bitops) is how ndo_set_rx_mode, which cannot sleep, asks the
 * watchdog to look at the netdev's lists; the rest is under vf->lock.
 */
struct simnic_vf_addrs {
	unsigned long rx_mode_req;
	struct list_head list;		/* struct simnic_vf_addr */
	bool sent;			/* the ETH_ADDR request in flight is of the lists */
	u16 batch;			/* addresses in it */
	bool one_by_one;		/* a batch was refused: ADD singly until reset */
	u16 promisc_want;		/* FLAG_VF_*_PROMISC from the netdev's flags */
	u16 promisc_have;		/* what the PF has */
	u16 promisc_sent;		/* in flight */
	u16 promisc_refused;		/* refused by the PF; not asked again */
	u64 refused;			/* addresses the PF refused */
};

/* Counters for debugfs (messages sent to the PF, resets); under vf->lock */
struct simnic_vf_counters {
	u64 vc_sent;
	u64 vc_sent_vlan_add;
	u64 vc_sent_vlan_del;
	u64 recoveries;			/* resets recovered from (rebuilt on the netdev) */
	u64 resets_announced;		/* RESET_IMPENDING events read */
	u64 stale_dropped;		/* replies from before a reset, dropped */
	u64 timeouts;			/* requests the PF did not answer in time */
	u64 self_resets;		/* resets this VF asked the PF for */
	u64 recovery_failures;		/* recoveries reported failed */
	u64 reconfigs;			/* reconfiguration events seen */
	u64 recreations;		/* functions re-created after them */
};

struct simnic_vf {
	struct pci_dev *pdev;
	struct simnic_fn *fn;
	struct net_device *netdev;
	/* netdev registered: written under rtnl and lock by the watchdog and remove */
	bool registered;

	/* lock protects state and the rooms below (vc, rst, vlan, addr, cnt, rss), the link,
	 * queue and resource fields, and serialises the watchdog, the admin queue task
	 * and the netdev ops that talk to the PF. Taken inside rtnl_lock, never around it.
	 */
	struct mutex lock;
	enum simnic_vf_state state;
	struct simnic_vf_vc vc;
	struct simnic_vf_reset rst;
	struct simnic_vf_vlans vlan;
	struct simnic_vf_addrs addr;
	struct simnic_vf_counters cnt;
	struct simnic_vf_rss rss;

	bool up;			/* ndo_open done, queues wanted */
	bool napi_on;			/* the rings' NAPI is enabled */
	/* the PF enabled our queues: send while the link is up. Written under lock,
	 * read by NAPI.
	 */
	bool txq_live;
	bool link_up;
	u32 link_speed;			/* Mb/s */

	struct dentry *dbg;
	struct devlink *devlink;
	struct devlink_health_reporter *health;	/* "recovery" */

	u16 max_qps;			/* granted by the PF */
	u16 num_qps;			/* in use */
	u8 mac[ETH_ALEN];
	u8 mac_req[ETH_ALEN];		/* asked for by ndo_set_mac_address */
	int mac_req_err;		/* its answer; -EINPROGRESS until it comes */
	bool mac_req_sent;		/* the ADD_ETH_ADDR in flight is mac_req */
	struct simnic_vf_ring *rings;	/* SIMNIC_MAX_QUEUES, num_qps of them in use */
	/* the rings ever in use since the netdev came (ethtool -S lists them): written
	 * under rtnl and lock, read under either
	 */
	u16 rings_used;
	/* ethtool -G: descriptors per ring, sent in CONFIG_VSI_QUEUES; under lock */
	u16 rx_ring_len;
	u16 tx_ring_len;
	/* rx-gro-hw: the rx buffers take whole GSO frames (CONFIG_VSI_QUEUES); under lock */
	bool rx_gso;
	u16 max_mtu;			/* from GET_VF_RESOURCES; under lock */
	/* netif_msg bits (ethtool msglvl): written under rtnl, read without a lock */
	u32 msg_enable;
	/* the PF's counters of us, last fetched by GET_STATS, and how many times they
	 * were (waiters in ethtool -S wake on vc.wq); under lock
	 */
	struct simnic_vc_eth_stats eth_stats;
	u32 eth_stats_seq;

	struct delayed_work watchdog;
	struct work_struct adminq_task;
	struct simnic_mbx_msg *msg;	/* receive buffer, adminq_task only */
};

extern struct workqueue_struct *simnic_vf_wq;

/* Fault injection, to prove that a failed probe unwinds: writing N to debugfs
 * simnic_vf/fail_probe makes step N of the next probe fail, once
 */
enum simnic_vf_probe_step {
	SIMNIC_VF_PROBE_OK,
	SIMNIC_VF_PROBE_MSG,		/* the receive buffer */
	SIMNIC_VF_PROBE_ENABLE,		/* pci_enable_device() */
	SIMNIC_VF_PROBE_FN,		/* simnic_hw_fn_get() */
	SIMNIC_VF_PROBE_DEVLINK,	/* the devlink instance and its reporter */
	SIMNIC_VF_PROBE_IRQ,		/* the misc vector */
	SIMNIC_VF_PROBE_NETDEV,		/* register_netdevice(), from the watchdog */
};

extern u32 simnic_vf_fail_probe;
extern u32 simnic_vf_fail_register;
extern u32 simnic_vf_fail_queues;
int simnic_vf_inject_count(u32 *knob, const char *what);
int simnic_vf_inject(enum simnic_vf_probe_step step);

/* simnic_vf_virtchnl.c: RSS */
void simnic_vf_rss_request(struct simnic_vf *vf);
void simnic_vf_rss_lut_default(struct simnic_vf *vf);

/* ethtool -S waits this long at most for the PF's counters, then shows the last ones */
#define SIMNIC_VF_STATS_WAIT	HZ

static inline struct simnic_vf *simnic_netdev_to_vf(const struct net_device *netdev)
{
	return netdev->ml_priv;
}

/* simnic_vf_main.c */
void simnic_vf_kick(struct simnic_vf *vf);

/* simnic_vf_virtchnl.c */
int simnic_vf_send(struct simnic_vf *vf, u32 op, const void *msg, u16 len);
int simnic_vf_send_version(struct simnic_vf *vf);
int simnic_vf_send_get_resources(struct simnic_vf *vf);
unsigned long simnic_vf_send_next(struct simnic_vf *vf);
void simnic_vf_process_msg(struct simnic_vf *vf, struct simnic_mbx_msg *m);
void simnic_vf_mbx_drain(struct simnic_vf *vf, bool events);
void simnic_vf_requeue(struct simnic_vf *vf, u32 op);
void simnic_vf_request_reset(struct simnic_vf *vf, const char *why);

/* simnic_vf_vlan.c */
int simnic_vf_vlan_rx_add_vid(struct net_device *netdev, __be16 proto, u16 vid);
int simnic_vf_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto, u16 vid);
int simnic_vf_send_vlans(struct simnic_vf *vf, bool add);
unsigned long simnic_vf_vlan_hold(struct simnic_vf *vf);
void simnic_vf_vlan_reply(struct simnic_vf *vf, u32 op, int status);
void simnic_vf_vlan_timeout(struct simnic_vf *vf);
void simnic_vf_vlan_reset(struct simnic_vf *vf);
void simnic_vf_vlan_fit(struct simnic_vf *vf);
void simnic_vf_vlan_caps(struct simnic_vf *vf, struct simnic_mbx_msg *m);
void simnic_vf_vlan_offers(struct simnic_vf *vf, const struct virtchnl_vlan_caps *caps);
int simnic_vf_vlan_offload_send(struct simnic_vf *vf, bool strip);
void simnic_vf_vlan_offload_reply(struct simnic_vf *vf, u32 op, s32 retval);
void simnic_vf_vlan_offload_want(struct simnic_vf *vf, bool strip, bool insert);
void simnic_vf_vlan_free_all(struct simnic_vf *vf);
const char *simnic_vf_vlan_state_name(enum simnic_vf_vlan_state state);

/* simnic_vf_addr.c */
struct seq_file;
void simnic_vf_set_rx_mode(struct net_device *netdev);
void simnic_vf_addr_sync(struct simnic_vf *vf);
int simnic_vf_addr_send(struct simnic_vf *vf, bool add);
void simnic_vf_addr_reply(struct simnic_vf *vf, u32 op, int status);
void simnic_vf_addr_timeout(struct simnic_vf *vf);
int simnic_vf_promisc_send(struct simnic_vf *vf);
void simnic_vf_promisc_reply(struct simnic_vf *vf, int status);
void simnic_vf_addr_reset(struct simnic_vf *vf);
void simnic_vf_addr_free_all(struct simnic_vf *vf);
void simnic_vf_addr_show(struct simnic_vf *vf, struct seq_file *s);
const char *simnic_vf_addr_state_name(enum simnic_vf_addr_state state);

/* simnic_vf_devlink.c */
int simnic_vf_devlink_register(struct simnic_vf *vf);
void simnic_vf_devlink_unregister(struct simnic_vf *vf);
void simnic_vf_recovery_stage(struct simnic_vf *vf, enum simnic_vf_recovery stage);
const char *simnic_vf_recovery_name(enum simnic_vf_recovery stage);

/* simnic_vf_debugfs.c */
void simnic_vf_dbg_add(struct simnic_vf *vf);
void simnic_vf_dbg_del(struct simnic_vf *vf);
void simnic_vf_dbg_register(void);
void simnic_vf_dbg_unregister(void);

/* simnic_vf_netdev.c */
int simnic_vf_netdev_register(struct simnic_vf *vf);
void simnic_vf_netdev_unregister(struct simnic_vf *vf);
void simnic_vf_queues_enabled(struct simnic_vf *vf);
void simnic_vf_set_link(struct simnic_vf *vf, bool up, u32 speed);
void simnic_vf_quiesce(struct simnic_vf *vf);
void simnic_vf_detach(struct simnic_vf *vf);
void simnic_vf_renew(struct simnic_vf *vf);
bool simnic_vf_needs_renew(struct simnic_vf *vf);
void simnic_vf_rebuild(struct simnic_vf *vf);
int simnic_vf_reconfig_begin(struct simnic_vf *vf);
int simnic_vf_reconfig_end(struct simnic_vf *vf, bool restart);

/* simnic_vf_ethtool.c */
void simnic_vf_set_ethtool_ops(struct net_device *netdev);

#endif /* _SIMNIC_VF_H_ */
