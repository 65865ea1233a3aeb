/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_pf: the PF driver, in the manner of ice */
#ifndef _SIMNIC_PF_H_
#define _SIMNIC_PF_H_

#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/avf/virtchnl.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/devlink.h>
#include <simnic/simnic_compat.h>
#include <simnic/simnic_hw_if.h>
#include <simnic/simnic_version.h>
#include <simnic/simnic_virtchnl.h>

#define SIMNIC_PF_DRV_NAME	"simnic_pf"
#define SIMNIC_PF_VEC_RX	1
#define SIMNIC_PF_MAX_MTU	9000
/* rx buffer sizes a VF may give in CONFIG_VSI_QUEUES, as ice takes them */
#define SIMNIC_PF_RX_BUF_MIN	1024
#define SIMNIC_PF_RX_BUF_MAX	(16 * 1024 - 128)
#define SIMNIC_PF_VLANS_UNTRUSTED	8
#define SIMNIC_PF_VLANS_TRUSTED		(VLAN_N_VID - 2)	/* 1-4094 */
/* MAC addresses of a VF, its primary MAC included: a trusted VF may fill the switch */
#define SIMNIC_PF_MACS_UNTRUSTED	18
#define SIMNIC_PF_MACS_TRUSTED		64
/* devlink port index of VF N's representor (the uplink is 0) */
#define SIMNIC_PF_REPR_PORT(vf)		(1 + (vf))

struct simnic_pf_repr;

enum simnic_pf_vf_state {
	SIMNIC_PF_VF_STATE_RESET,	/* waiting for VERSION */
	SIMNIC_PF_VF_STATE_VERSION,	/* version agreed, waiting for GET_VF_RESOURCES */
	SIMNIC_PF_VF_STATE_ACTIVE,	/* resources given: any allowed opcode */
};

/* What a hostile PF forges (simnic_pf_forge.c): replies, then events sent at once */
enum simnic_pf_forge {
	SIMNIC_PF_FORGE_NONE,
	SIMNIC_PF_FORGE_OPCODE,
	SIMNIC_PF_FORGE_SHORT,
	SIMNIC_PF_FORGE_LONG,
	SIMNIC_PF_FORGE_BAD_STATUS,
	SIMNIC_PF_FORGE_RESOURCES,
	SIMNIC_PF_FORGE_VLAN_CAPS,
	SIMNIC_PF_FORGE_EVENT,
	SIMNIC_PF_FORGE_LINK_SPEED,
};

/* Fault injection, per VF, from debugfs. Written by debugfs at any time, read and
 * counted down by the service task under pf->lock: a racing write only shifts which
 * message the fault hits.
 */
struct simnic_pf_vf_faults {
	u32 reject_add;			/* reject the next N VLAN ADDs */
	u32 reject_del;			/* reject the next N VLAN DELs */
	s32 reject_status;		/* with this virtchnl status */
	u32 reply_delay_ms;		/* hold every reply this long; 0 releases them */
	u32 drop_replies;		/* lose the next N replies */
	u32 reply_after_reset;		/* hold the next N replies until the VF's next reset */
	bool vlan_v1;			/* offer VLAN V1, not V2, at the next negotiation */
	enum simnic_pf_forge forge;	/* forge the next replies this way (debugfs forge) */
	u32 forge_count;		/* replies left to forge */
	u32 forge_op;			/* forge only replies to this opcode (0: any) */
};

/* A reply that fault injection holds back */
struct simnic_pf_reply {
	struct list_head list;
	unsigned long due;		/* jiffies */
	u32 op;
	s32 status;
	u16 len;
	u8 data[];
};

/* Mailbox flood control (Documentation/.../simnic.rst has the reasoning). A VF driver
 * keeps one request in flight and sends the next only after the reply or its op
 * timeout: its messages do not queue behind one another, but for a RESET_VF sent
 * while a request is unanswered. A VF with more than SIMNIC_PF_MBX_FLOOD_MSGS messages
 * found queued behind another within SIMNIC_PF_MBX_WINDOW_MS is flooding: its messages
 * are read and dropped unprocessed until none has been queued behind another for
 * pf->mbx_penalty_ms (SIMNIC_PF_MBX_PENALTY_MS unless debugfs says otherwise); then
 * the PF resets it, announced, so that it renegotiates
 * and replays what was dropped. The service task reads at most SIMNIC_PF_MBX_BUDGET
 * messages per VF per run and runs again while any are left: one VF cannot starve
 * the others.
 */
#define SIMNIC_PF_MBX_WINDOW_MS		1000
#define SIMNIC_PF_MBX_FLOOD_MSGS	128
#define SIMNIC_PF_MBX_PENALTY_MS	1000
#define SIMNIC_PF_MBX_PENALTY_MAX_MS	600000
#define SIMNIC_PF_MBX_BUDGET		16

/* Why the PF refused a message from a VF: one counter per refusal path, so that a
 * test (fuzz_virtchnl.sh) can tell which checks its messages reached. The allowlist
 * and virtchnl_vc_validate_vf_msg() come first; the rest are the handlers' own
 * checks of the fields. simnic_pf_vc_refuse() counts and gives the status.
 */
enum simnic_pf_refusal {
	SIMNIC_PF_REFUSE_NOT_ALLOWED,	/* not in the VF's allowlist */
	SIMNIC_PF_REFUSE_MALFORMED,	/* virtchnl_vc_validate_vf_msg() */
	SIMNIC_PF_REFUSE_QCFG_VSI,	/* CONFIG_VSI_QUEUES */
	SIMNIC_PF_REFUSE_QCFG_COUNT,
	SIMNIC_PF_REFUSE_QCFG_IDS,
	SIMNIC_PF_REFUSE_QCFG_RING_LEN,
	SIMNIC_PF_REFUSE_QCFG_MAX_FRAME,
	SIMNIC_PF_REFUSE_QCFG_BUF,
	SIMNIC_PF_REFUSE_IRQ_VSI,	/* CONFIG_IRQ_MAP */
	SIMNIC_PF_REFUSE_IRQ_VECTOR,
	SIMNIC_PF_REFUSE_IRQ_QUEUES,
	SIMNIC_PF_REFUSE_IRQ_UNCONFIGURED,
	SIMNIC_PF_REFUSE_QSEL_VSI,	/* ENABLE_QUEUES, DISABLE_QUEUES */
	SIMNIC_PF_REFUSE_QSEL_NONE,
	SIMNIC_PF_REFUSE_QSEL_RANGE,
	SIMNIC_PF_REFUSE_STATS_VSI,	/* GET_STATS */
	SIMNIC_PF_REFUSE_VLAN_VSI,	/* ADD_VLAN, DEL_VLAN */
	SIMNIC_PF_REFUSE_VLAN_VID,
	SIMNIC_PF_REFUSE_VLAN2_VPORT,	/* ADD_VLAN_V2, DEL_VLAN_V2 */
	SIMNIC_PF_REFUSE_VLAN2_TAG,
	SIMNIC_PF_REFUSE_VLAN2_VID,
	/* {ENABLE,DISABLE}_VLAN_{STRIPPING,INSERTION}_V2 */
	SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_VPORT,
	SIMNIC_PF_REFUSE_VLAN2_OFFLOAD_TAG,
	SIMNIC_PF_REFUSE_VLAN_PORT_VLAN, /* either flavour, and the tag offloads */
	SIMNIC_PF_REFUSE_VLAN_LIMIT,
	SIMNIC_PF_REFUSE_MAC_VSI,	/* ADD_ETH_ADDR, DEL_ETH_ADDR */
	SIMNIC_PF_REFUSE_MAC_ADDR,
	SIMNIC_PF_REFUSE_MAC_PRIMARY_MCAST,
	SIMNIC_PF_REFUSE_MAC_PRIMARY_ADMIN,
	SIMNIC_PF_REFUSE_MAC_PRIMARY_LISTED,
	SIMNIC_PF_REFUSE_MAC_PRIMARY_TAKEN,
	SIMNIC_PF_REFUSE_MAC_UNICAST_ADMIN,
	SIMNIC_PF_REFUSE_MAC_LIMIT,
	SIMNIC_PF_REFUSE_MAC_TAKEN,
	SIMNIC_PF_REFUSE_PROMISC_VSI,	/* CONFIG_PROMISCUOUS_MODE */
	SIMNIC_PF_REFUSE_PROMISC_FLAGS,
	SIMNIC_PF_REFUSE_PROMISC_SWITCHDEV,
	SIMNIC_PF_REFUSE_PROMISC_UNTRUSTED,
	SIMNIC_PF_REFUSE_RSS_VSI,	/* CONFIG_RSS_KEY, CONFIG_RSS_LUT */
	SIMNIC_PF_REFUSE_RSS_KEY_LEN,
	SIMNIC_PF_REFUSE_RSS_LUT_LEN,
	SIMNIC_PF_REFUSE_RSS_LUT_QUEUE,
	SIMNIC_PF_REFUSE_NUM
};

/* Mailbox accounting of one VF, under pf->lock (kept by the service task) */
struct simnic_pf_vf_mbx {
	u64 received;			/* messages read from the VF's mailbox */
	u64 refused;			/* opcode not in the VF's allowlist */
	u64 invalid;			/* allowed opcode, malformed message */
	u64 flood_dropped;		/* read and dropped while rate-limited */
	u32 floods;			/* times the VF was rate-limited */
	u32 peak;			/* most messages received in one window */
	u32 max_queued;			/* most messages seen queued behind one read */
	unsigned long window_start;	/* jiffies: the current window began */
	u32 window_msgs;		/* messages received in the window */
	u32 window_queued;		/* of them, found with others queued behind */
	bool limited;			/* rate-limited, see simnic_pf_mbx_limit_end() */
	unsigned long limit_start;	/* jiffies */
	/* jiffies: the last message found queued behind another while limited (or
	 * the one that began the limit); the penalty runs from it
	 */
	unsigned long limit_last;
	u64 limit_dropped;		/* @flood_dropped when the limit began */
	u64 send_failed;		/* messages to the VF the mailbox refused */
	u32 refusals[SIMNIC_PF_REFUSE_NUM]; /* messages refused, by path */
};

struct simnic_pf_vf {
	struct simnic_pf *pf;
	struct simnic_fn *fn;
	u16 id;
	u16 num_qps;			/* queue pairs granted */
	u16 ring_len[SIMNIC_MAX_QUEUES];	/* from CONFIG_VSI_QUEUES: rx rings */
	u16 tx_ring_len[SIMNIC_MAX_QUEUES];	/* and tx rings */
	u16 max_frame[SIMNIC_MAX_QUEUES];	/* its max_pkt_size (0: the device's) */
	unsigned long rx_gso;		/* rx queues that take GSO frames whole */
	enum simnic_pf_vf_state state;
	/* the VF asked for a reset, which the device has made; the PF side is yet to be
	 * rebuilt from the work queue (simnic_pf_vf_reset_finish()). Until then the VF
	 * may send only RESET_VF.
	 */
	bool reset_pending;
	struct virtchnl_version_info ver;
	u32 caps;			/* negotiated VIRTCHNL_VF_* flags */
	/* the opcodes the VF may send, from @state and @caps: see
	 * simnic_pf_vc_allowlist_set()
	 */
	DECLARE_BITMAP(allowed_ops, VIRTCHNL_OP_MAX);
	struct simnic_pf_vf_mbx mbx;
	/* under pf->lock: the VF caused a mailbox error since the last full recovery
	 * of the "mailbox" health reporter, which resets it (simnic_pf_health.c)
	 */
	bool mbx_offender;
	u8 mac[ETH_ALEN];

	/* Administrative settings (ip link set PF vf N ...) */
	bool trusted;
	bool spoofchk;
	u16 port_vlan;			/* 0: none */
	u8 port_qos;			/* its priority (PCP) */
	int link_state;			/* IFLA_VF_LINK_STATE_*: auto follows the PF */
	bool admin_mac;			/* @mac set by the host, not random */
	u32 min_tx_rate;		/* Mb/s, validated only */
	u32 max_tx_rate;		/* Mb/s, enforced by the switch; 0: none */

	/* The addresses of the VF's lists (not its primary MAC) and its promiscuous
	 * modes (FLAG_VF_*_PROMISC), as programmed in the switch
	 */
	u8 macs[SIMNIC_PF_MACS_TRUSTED - 1][ETH_ALEN];
	u16 num_macs;
	u16 promisc_flags;

	/* The VLAN filters the VF asked for, as programmed in the switch */
	DECLARE_BITMAP(vlans, VLAN_N_VID);
	u16 num_vlans;
	/* VLAN V2's outer tag offloads, as programmed in the switch (off at reset) */
	bool vlan_strip;
	bool vlan_insert;

	struct simnic_pf_vf_faults faults;
	struct list_head delayed;	/* replies held by reply_delay_ms, in order */
	struct list_head held;		/* replies held until the next reset */
	struct delayed_work reply_work;	/* sends delayed replies when due */
	struct dentry *dbg;
};

/* The devlink health reporter "mailbox" (simnic_pf_health.c, whose top comment has
 * the rules): what went wrong on the VFs' mailboxes, and the last messages.
 */
#define SIMNIC_PF_HEALTH_RING		16	/* mailbox events kept for the dump */
#define SIMNIC_PF_HEALTH_REPORT_MS	200	/* at most one report per this */
#define SIMNIC_PF_HEALTH_GRACE_MS	10000	/* default grace_period */

enum simnic_pf_health_kind {
	SIMNIC_PF_HEALTH_OK,		/* a message served (not an error) */
	SIMNIC_PF_HEALTH_REFUSED,	/* opcode not in the VF's allowlist */
	SIMNIC_PF_HEALTH_MALFORMED,	/* allowed opcode, failed validation */
	SIMNIC_PF_HEALTH_FLOOD,		/* a flood detected: the VF rate-limited */
	SIMNIC_PF_HEALTH_SEND_FAILED,	/* a message to the VF refused by the mailbox */
	SIMNIC_PF_HEALTH_KINDS,
};

/* One mailbox event: a message from a VF with its verdict, or a failure */
struct simnic_pf_health_event {
	u64 time_ns;			/* CLOCK_REALTIME */
	u32 opcode;			/* virtchnl opcode (of the reply, for SEND_FAILED) */
	s32 err;			/* virtchnl status of the validation (MALFORMED),
					 * errno of the mailbox (SEND_FAILED), or 0
					 */
	u16 vf;
	u16 len;			/* payload length */
	u8 kind;			/* enum simnic_pf_health_kind */
};

struct simnic_pf_health {
	struct devlink_health_reporter *reporter;
	/* makes the reports, outside pf->lock: devlink_health_report() may recover,
	 * which takes the devlink lock, and that nests outside pf->lock
	 */
	struct delayed_work work;
	/* lock protects every field below. The mailbox paths take it under pf->lock,
	 * the dump, diagnose and @work alone; it is a spinlock so that recording an
	 * event costs the flood path no more than a copy.
	 */
	spinlock_t lock;
	bool live;			/* devlink registered: reports may be made */
	bool pending;			/* an error awaits its report: @trigger is it */
	struct simnic_pf_health_event trigger;	/* first error since the last report */
	u32 unreported;			/* errors since the last report, @trigger's included */
	unsigned long last_report;	/* jiffies */
	u32 head;			/* next slot of @ring */
	struct simnic_pf_health_event ring[SIMNIC_PF_HEALTH_RING];
	u64 events;			/* recorded, the ring holds the last of them */
	u64 by_kind[SIMNIC_PF_HEALTH_KINDS];
	u64 reports;			/* devlink_health_report() calls */
	u64 recoveries;			/* full recoveries (devlink health recover) */
	u64 vfs_reset;			/* VFs those reset */
	u64 limits_lifted;		/* floods' rate limits those lifted */
};

/* The PF is the private area of its devlink instance (priv_to_devlink(pf)). Lock
 * order: the devlink lock, then rtnl, then pf->lock; the whole order is the lock
 * table in Documentation/networking/device_drivers/ethernet/simnic.rst.
 */
struct simnic_pf {
	struct pci_dev *pdev;
	struct simnic_fn *fn;
	struct net_device *netdev;
	struct napi_struct napi;

	/* lock protects vfs, num_vfs and every VF's state, and serialises the
	 * service task (virtchnl, VF resets) with SR-IOV changes and ndo_*_vf ops.
	 * vfs and num_vfs change with the devlink lock held as well: a holder of
	 * either lock sees them stable.
	 */
	struct mutex lock;
	struct simnic_pf_vf *vfs;
	u16 num_vfs;

	struct work_struct service_task;
	/* runs the service task when a VF's mailbox penalty ends: armed by it */
	struct delayed_work mbx_watch;
	/* under lock: a rate-limited VF is served again this long after its last
	 * message queued behind another (debugfs mbx_penalty_ms)
	 */
	u32 mbx_penalty_ms;
	struct simnic_mbx_msg *msg;	/* receive buffer, used by service_task only */
	bool link_up;			/* last link state told to the VFs, under lock */
	/* under lock: the eswitch is in switchdev mode, so the VFs get none of the
	 * legacy policy (simnic_pf_eswitch_vf_policy()). Follows eswitch_mode.
	 */
	bool switchdev;
	/* the card is away for servicing: written under lock by the service task,
	 * which alone also reads it unlocked
	 */
	bool in_service;
	unsigned long service_start;	/* jiffies, under lock */
	/* service count last acted on: the service task's, and the reload's while the
	 * reload has the service task stopped
	 */
	u32 service_seen;
	/* devlink reload (simnic_pf_service.c): the PF is down between reload_down and
	 * a successful reload_up. Written with rtnl and lock both held, so either one
	 * reads it stable; the service task reads it without either, to step aside.
	 */
	bool reloading;
	unsigned long reload_start;	/* jiffies, under lock */
	struct dentry *dbg;

	/* devlink (simnic_pf_devlink.c) and the eswitch (simnic_pf_eswitch.c) */
	struct devlink_port uplink;	/* flavour physical; its netdev is @netdev */
	u16 eswitch_mode;		/* DEVLINK_ESWITCH_MODE_*, under the devlink lock */
	/* the driverinit value of the devlink param eswitch_switchdev_at_init that the
	 * last init (probe or reload) applied, under the devlink lock: a reload applies
	 * the param only if it differs (simnic_pf_devlink.c)
	 */
	bool eswitch_init_switchdev;
	/* the VFs the eswitch knows of, under the devlink lock: follows num_vfs
	 * through the work queue (SIMNIC_PF_WORK_VFS_CHANGED) and mode changes
	 */
	u16 eswitch_vfs;
	/* the block guard, under the devlink lock: SR-IOV is being enabled or disabled
	 * with the devlink lock released (simnic_pf_eswitch_block(), not reentrant)
	 */
	bool eswitch_blocked;
	/* representors of VFs 0 to num_reprs - 1 (switchdev mode only). Written under
	 * the devlink lock; the switch's handler reads reprs[] under RCU.
	 */
	u16 num_reprs;
	struct simnic_pf_repr __rcu *reprs[SIMNIC_MAX_VFS];

	/* The generation-counted work queue (simnic_pf_wq.c, whose top comment has the
	 * rules). wq_lock protects wq_gen's increments and wq_closed against
	 * simnic_pf_wq_queue(): an item gets the generation current under it, or is
	 * not queued. wq_gen only moves with the devlink lock held as well; workers
	 * read it without either lock.
	 */
	struct workqueue_struct *wq;	/* ordered */
	spinlock_t wq_lock;
	u32 wq_gen;
	bool wq_closed;			/* torn down: nothing more is queued */
	wait_queue_head_t wq_waitq;	/* workers waiting for the devlink lock */
	u32 wq_delay_ms;		/* fault injection (debugfs): workers wait first */
	atomic64_t wq_queued;		/* items queued */
	atomic64_t wq_done;		/* items run */
	atomic64_t wq_stale;		/* items dropped: their generation was stale */

	struct simnic_pf_health health;	/* the "mailbox" health reporter */
};

/* What a work item of the PF's work queue does, and what its argument is */
enum simnic_pf_work_kind {
	SIMNIC_PF_WORK_VF_RESET,	/* finish the reset VF @arg asked for */
	SIMNIC_PF_WORK_VFS_CHANGED,	/* SR-IOV now has @arg VFs: tell the eswitch */
};

/* Fault injection, to prove that a failed probe unwinds: writing N to debugfs
 * simnic_pf/fail_probe makes step N of the next probe fail, once
 */
enum simnic_pf_probe_step {
	SIMNIC_PF_PROBE_OK,
	SIMNIC_PF_PROBE_MSG,		/* the receive buffer */
	SIMNIC_PF_PROBE_ENABLE,		/* pci_enable_device() */
	SIMNIC_PF_PROBE_FN,		/* simnic_hw_fn_get() */
	SIMNIC_PF_PROBE_MAC,		/* the MAC filter of the netdev */
	SIMNIC_PF_PROBE_NETDEV,		/* register_netdev() */
	SIMNIC_PF_PROBE_IRQ,		/* the misc vector */
	SIMNIC_PF_PROBE_PORT,		/* the uplink devlink port */
	SIMNIC_PF_PROBE_ESWITCH,	/* the devlink params, then the eswitch mode */
	SIMNIC_PF_PROBE_HEALTH,		/* the "mailbox" health reporter */
};

extern u32 simnic_pf_fail_probe;
int simnic_pf_inject(enum simnic_pf_probe_step step);

/* Steps of operations that a test can make fail (debugfs simnic_pf/fail_step) */
enum simnic_pf_step {
	SIMNIC_PF_STEP_NONE,
	SIMNIC_PF_STEP_SRIOV,		/* pci_enable_sriov() */
	SIMNIC_PF_STEP_REPR,		/* a representor's devlink port and netdev */
	SIMNIC_PF_STEP_SWITCHDEV,	/* the switch into switchdev mode */
	SIMNIC_PF_STEP_UPLINK,		/* the PF netdev (probe, devlink reload) */
	SIMNIC_PF_STEP_MISC_VECTOR,	/* the misc vector again (devlink reload) */
	SIMNIC_PF_STEP_NUM
};

int simnic_pf_fail_step(enum simnic_pf_step step);
int simnic_pf_fail_step_set(char *buf);
void simnic_pf_fail_step_show(struct seq_file *s);

static inline struct simnic_pf *simnic_netdev_to_pf(const struct net_device *netdev)
{
	return netdev->ml_priv;
}

/* simnic_pf_devlink.c */
enum simnic_pf_devlink_param_id {
	SIMNIC_PF_DEVLINK_PARAM_ID_BASE = DEVLINK_PARAM_GENERIC_ID_MAX,
	SIMNIC_PF_DEVLINK_PARAM_ID_ESWITCH_SWITCHDEV,	/* eswitch_switchdev_at_init */
};

struct simnic_pf *simnic_pf_devlink_alloc(struct pci_dev *pdev);
void simnic_pf_devlink_free(struct simnic_pf *pf);
void simnic_pf_devlink_register(struct simnic_pf *pf);
void simnic_pf_devlink_unregister(struct simnic_pf *pf);
int simnic_pf_uplink_create(struct simnic_pf *pf);
void simnic_pf_uplink_destroy(struct simnic_pf *pf);
void simnic_pf_devlink_port_set_netdev(struct simnic_pf *pf);
void simnic_pf_devlink_port_clear_netdev(struct simnic_pf *pf);
int simnic_pf_devlink_params_register(struct simnic_pf *pf);
void simnic_pf_devlink_params_unregister(struct simnic_pf *pf);
int simnic_pf_devlink_eswitch_init(struct simnic_pf *pf);

/* simnic_pf_health.c */
int simnic_pf_health_create(struct simnic_pf *pf);
void simnic_pf_health_destroy(struct simnic_pf *pf);
void simnic_pf_health_start(struct simnic_pf *pf);
void simnic_pf_health_stop(struct simnic_pf *pf);
void simnic_pf_health_record(struct simnic_pf_vf *vf, enum simnic_pf_health_kind kind,
			     u32 opcode, u16 len, int err);

/* simnic_pf_eswitch.c */
int simnic_pf_eswitch_block(struct simnic_pf *pf);
void simnic_pf_eswitch_unblock(struct simnic_pf *pf);
int simnic_pf_eswitch_mode_change(struct simnic_pf *pf, u16 mode,
				  struct netlink_ext_ack *extack);
void simnic_pf_eswitch_vfs_changed(struct simnic_pf *pf, u16 num_vfs);
void simnic_pf_eswitch_vfs_gone(struct simnic_pf *pf);
void simnic_pf_eswitch_release(struct simnic_pf *pf);
void simnic_pf_eswitch_reload_down(struct simnic_pf *pf);
int simnic_pf_eswitch_reload(struct simnic_pf *pf, u16 mode,
			     struct netlink_ext_ack *extack);

/* simnic_pf_wq.c */
int simnic_pf_wq_init(struct simnic_pf *pf);
void simnic_pf_wq_destroy(struct simnic_pf *pf);
int simnic_pf_wq_queue(struct simnic_pf *pf, enum simnic_pf_work_kind kind, u32 arg);
void simnic_pf_wq_bump(struct simnic_pf *pf);

/* simnic_pf_netdev.c */
int simnic_pf_netdev_create(struct simnic_pf *pf);
void simnic_pf_netdev_destroy(struct simnic_pf *pf);
void simnic_pf_link_update(struct simnic_pf *pf);
void simnic_pf_queue_start(struct simnic_pf *pf);
void simnic_pf_queue_stop(struct simnic_pf *pf);

/* simnic_pf_service.c */
void simnic_pf_service_check(struct simnic_pf *pf);
bool simnic_pf_busy(struct simnic_pf *pf);
int simnic_pf_reload_down(struct simnic_pf *pf, struct netlink_ext_ack *extack);
int simnic_pf_reload_up(struct simnic_pf *pf, struct netlink_ext_ack *extack);

/* simnic_pf_main.c */
void simnic_pf_misc_irq(void *data);

/* simnic_pf_sriov.c */
int simnic_pf_sriov_configure(struct pci_dev *pdev, int num_vfs);
void simnic_pf_sriov_disable(struct simnic_pf *pf);
#define SIMNIC_PF_RESET_VFLR	BIT(0)	/* the device has reset the VF (an FLR) */
void simnic_pf_reset_vf(struct simnic_pf_vf *vf, u32 flags);
void simnic_pf_trigger_vf_reset(struct simnic_pf_vf *vf);
void simnic_pf_vf_reset_request(struct simnic_pf_vf *vf);
void simnic_pf_vf_reset_finish(struct simnic_pf *pf, u16 vf_id);
int simnic_pf_reset_all_vfs(struct simnic_pf *pf);
void simnic_pf_reset_prepare(struct simnic_pf *pf);
void simnic_pf_reset_done(struct simnic_pf *pf);
int simnic_pf_set_vf_trust(struct net_device *netdev, int vf_id, bool trusted);
int simnic_pf_set_vf_spoofchk(struct net_device *netdev, int vf_id, bool on);
int simnic_pf_set_vf_vlan(struct net_device *netdev, int vf_id, u16 vid, u8 qos,
			  __be16 proto);
unsigned int simnic_pf_handle_vflr(struct simnic_pf *pf);
int simnic_pf_get_vf_config(struct net_device *netdev, int vf_id,
			    struct ifla_vf_info *ivi);
int simnic_pf_set_vf_link_state(struct net_device *netdev, int vf_id, int state);
int simnic_pf_set_vf_mac(struct net_device *netdev, int vf_id, u8 *mac);
int simnic_pf_set_vf_rate(struct net_device *netdev, int vf_id, int min_tx_rate,
			  int max_tx_rate);
int simnic_pf_get_vf_stats(struct net_device *netdev, int vf_id,
			   struct ifla_vf_stats *stats);
bool simnic_pf_vf_link_up(const struct simnic_pf_vf *vf);

/* simnic_pf_virtchnl.c */
void simnic_pf_process_mailboxes(struct simnic_pf *pf);
void simnic_pf_mbx_watch(struct work_struct *work);
int simnic_pf_mbx_penalty_set(struct simnic_pf *pf, u64 ms);
bool simnic_pf_mbx_lift_limit(struct simnic_pf_vf *vf);
void simnic_pf_notify_link(struct simnic_pf_vf *vf);
void simnic_pf_notify_reset(struct simnic_pf_vf *vf);
int simnic_pf_vc_send(struct simnic_pf_vf *vf, u32 op, enum virtchnl_status_code status,
		      const void *msg, u16 len);
void simnic_pf_reply_work(struct work_struct *work);
void simnic_pf_replies_on_reset(struct simnic_pf_vf *vf);
void simnic_pf_reply_delay_set(struct simnic_pf_vf *vf, u32 ms);
void simnic_pf_replies_free(struct simnic_pf_vf *vf);
void simnic_pf_vc_allowlist_set(struct simnic_pf_vf *vf);
enum virtchnl_status_code simnic_pf_vc_refuse(struct simnic_pf_vf *vf,
					      enum simnic_pf_refusal why);
const char *simnic_pf_refusal_name(enum simnic_pf_refusal why);

/* simnic_pf_forge.c */
void simnic_pf_forge_reply(struct simnic_pf_vf *vf, u32 *op, s32 *status, const void **msg,
			   u16 *len, u8 **buf);
int simnic_pf_forge_set(struct simnic_pf_vf *vf, char *buf);
void simnic_pf_forge_show(struct simnic_pf_vf *vf, struct seq_file *s);

/* simnic_pf_mac.c */
void simnic_pf_mac_clear(struct simnic_pf_vf *vf);
enum virtchnl_status_code simnic_pf_vc_eth_addr(struct simnic_pf_vf *vf, u8 *msg,
						bool add);
enum virtchnl_status_code simnic_pf_vc_promisc(struct simnic_pf_vf *vf, u8 *msg);

static inline bool simnic_pf_vsi_ok(const struct simnic_pf_vf *vf, u16 vsi_id)
{
	return vsi_id == vf->id + 1;
}

/* simnic_pf_vlan.c */
u16 simnic_pf_vlan_limit(const struct simnic_pf_vf *vf);
void simnic_pf_vlan_clear(struct simnic_pf_vf *vf);
enum virtchnl_status_code simnic_pf_vc_vlan_v1(struct simnic_pf_vf *vf, u8 *msg,
					       bool add);
enum virtchnl_status_code simnic_pf_vc_vlan_v2(struct simnic_pf_vf *vf, u8 *msg,
					       bool add);
void simnic_pf_vc_vlan_v2_caps(struct simnic_pf_vf *vf);
enum virtchnl_status_code simnic_pf_vc_vlan_offload(struct simnic_pf_vf *vf, u8 *msg,
						    u32 op);

/* simnic_pf_debugfs.c */
void simnic_pf_dbg_init(struct simnic_pf *pf);
void simnic_pf_dbg_exit(struct simnic_pf *pf);
void simnic_pf_dbg_vf_add(struct simnic_pf_vf *vf);
void simnic_pf_dbg_register(void);
void simnic_pf_dbg_unregister(void);

#endif /* _SIMNIC_PF_H_ */
