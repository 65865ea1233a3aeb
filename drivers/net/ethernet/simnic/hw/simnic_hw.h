/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_hw internals: the emulated card. Drivers use include/simnic/simnic_hw_if.h. */
#ifndef _SIMNIC_HW_H_
#define _SIMNIC_HW_H_

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/if_vlan.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <simnic/simnic_compat.h>
#include <simnic/simnic_hw_if.h>

#define SIMNIC_CFG_SIZE		PCI_CFG_SPACE_EXP_SIZE
#define SIMNIC_CFG_EXP_POS	0x40
#define SIMNIC_CFG_SRIOV_POS	0x100
#define SIMNIC_MAX_CARDS	16
#define SIMNIC_MAC_FILTERS	64	/* unicast and multicast, per function */
#define SIMNIC_CARD_AWAY	0	/* bit in card->flags: being serviced */
#define SIMNIC_SERVICE_MAX_MS	600000
/* The firmware every card runs (simnic_hw_fw_version()) */
#define SIMNIC_HW_FW_VERSION	SIMNIC_FW_VER(1, 4, 2)

struct simnic_card;

struct simnic_irq {
	simnic_irq_handler_t handler;
	void *data;
	struct rcu_head rcu;
};

struct simnic_rxq {
	/* lock protects frames, ring_len, max_frame, gso, enabled, armed and
	 * vector's writes
	 */
	spinlock_t lock;
	struct sk_buff_head frames;
	u16 ring_len;
	u16 max_frame;			/* FCS included */
	u16 vector;
	bool gso;			/* takes GSO frames whole (hardware GRO) */
	bool enabled;
	bool armed;
};

/* fn->tx_flags: the rate's timer is queued or running, and will look at every queue
 * in txq_held once more: whoever holds a frame and finds it clear starts the timer
 */
#define SIMNIC_TX_TIMER_ARMED	0

/* A tx queue's ring. The switch takes a frame as soon as it is posted, unless the
 * function's max tx rate holds it: then it waits in the ring, its descriptors in use,
 * until the rate lets it go. Completions are written back (@done) when a frame
 * leaves; the vector fires for them only if the driver armed it.
 */
struct simnic_txq {
	/* lock protects everything below but @done's lockless reads */
	spinlock_t lock;
	struct sk_buff_head held;	/* frames the rate holds, oldest first */
	u16 ring_len;			/* descriptors */
	u16 vector;
	u16 used;			/* descriptors of the frames held */
	u16 peak;			/* most descriptors held at once */
	/* descriptors of the frame the rate's timer is sending (0: none): a purge
	 * completes them, and the timer then does not
	 */
	u16 sending;
	bool armed;			/* fire @vector at the next completion */
	u32 done;			/* descriptors completed, free-running */
};

struct simnic_mbx_entry {
	struct list_head list;
	struct simnic_mbx_msg msg;	/* only header + msg.len bytes allocated */
};

struct simnic_mbx {
	/* lock protects both directions' lists and counts, and the counters below */
	spinlock_t lock;
	struct list_head to_pf;
	struct list_head to_vf;
	u16 n_to_pf;
	u16 n_to_vf;
	u64 full_to_pf;		/* sends refused: the queue to the PF was full */
	u64 full_to_vf;		/* sends refused: the queue to the VF was full */
	u64 injected;		/* messages debugfs mbx_inject put in the queue to the PF */
};

/* The PF driver's handler of the switchdev slow path (simnic_hw_pf_set_switchdev()) */
struct simnic_rep_rx {
	simnic_rep_rx_t rx;
	void *data;
	struct rcu_head rcu;
};

struct simnic_mac_filters {
	struct rcu_head rcu;
	unsigned int count;
	u8 addr[SIMNIC_MAC_FILTERS][ETH_ALEN];
};

/* RSS of a function: replaced whole under card->sw_lock, read under RCU */
struct simnic_rss {
	struct rcu_head rcu;
	bool lut_set;			/* until then, the flow hash spreads frames */
	u8 key[SIMNIC_RSS_KEY_SIZE];
	u8 lut[SIMNIC_RSS_LUT_SIZE];
};

struct simnic_fn {
	struct simnic_card *card;
	bool is_vf;
	u16 vf_id;			/* VF number, meaningless on the PF */
	bool active;			/* function exists (PF: always; VF: VFE set) */
	bool bound;			/* a driver holds it (fn_get/put), under card->lock */

	/* irq_lock serialises writers of irqs[]; handlers are called under RCU */
	spinlock_t irq_lock;
	struct simnic_irq __rcu *irqs[SIMNIC_MAX_VECTORS];
	atomic_t misc_cause;

	struct simnic_rxq rxq[SIMNIC_MAX_QUEUES];
	struct simnic_txq txq[SIMNIC_MAX_QUEUES];
	unsigned long txq_held;		/* tx queues with frames held, atomic bitops */
	unsigned long tx_flags;		/* SIMNIC_TX_*, atomic bitops */
	unsigned long rxq_enabled;	/* bitmap of enabled rx queues, atomic bitops */
	unsigned long txq_enabled;	/* bitmap of enabled tx queues, atomic bitops */

	/* writers hold card->sw_lock; the forwarding path reads under RCU */
	struct simnic_mac_filters __rcu *macs;
	/* RSS: written under card->sw_lock, read by the forwarding path under RCU */
	struct simnic_rss __rcu *rss;
	/* The VLAN filter is written under card->sw_lock (with atomic bitops);
	 * anti-spoof, VLAN pruning, the port VLAN and the tag offloads with
	 * WRITE_ONCE() alone, by the PF under pf->lock and by card servicing. The
	 * forwarding path reads them all locklessly.
	 */
	DECLARE_BITMAP(vlans, VLAN_N_VID);
	bool spoofchk;
	bool no_vlan_pruning;		/* VF: takes every VID, @vlans or not */
	u16 ptci;			/* port VLAN tag: VID (0: none) and priority */
	bool promisc;			/* VF: takes unicast no function filters on */
	bool allmulti;			/* VF: takes every multicast */
	bool vlan_strip;		/* VF: the outer tag goes to the descriptor */
	bool vlan_insert;		/* VF: the descriptor's tag is inserted */
	/* tx_lock protects the token bucket of the tx rate limit; max_tx_mbps (0: no
	 * limit) is written under it and read locklessly first. Taken inside a
	 * txq's lock.
	 */
	spinlock_t tx_lock;
	u32 max_tx_mbps;
	s64 tx_tokens;			/* bytes that may be sent now (< 0: owed) */
	u64 tx_last_ns;			/* when the bucket was last filled */
	struct hrtimer tx_timer;	/* sends held frames when the rate lets them */
	struct dentry *dbg;		/* debugfs directory of the function */

	struct simnic_mbx mbx;		/* VF only */
	atomic_t rstat;			/* VF only: enum simnic_vfr_state */
	atomic_t resets;		/* VF only: resets so far */
	atomic_t reconfigs;		/* VF only: reconfiguration events so far */

	atomic64_t tx_packets, tx_bytes, tx_dropped;
	atomic64_t rx_packets, rx_bytes, rx_dropped;
	atomic64_t tx_spoofed, rx_vlan_filtered, tx_held;
	atomic64_t rx_broadcast, rx_multicast, rx_mac_filtered, rx_oversize;
	atomic64_t tx_multicast, tx_broadcast;
	atomic64_t rx_vlan_stripped, tx_vlan_inserted;
};

struct simnic_card {
	struct pci_sysdata sd;		/* bus->sysdata points here: must stay first */
	struct list_head list;		/* in simnic_cards, under simnic_cards_lock */
	u32 id;
	u16 total_vfs;
	u8 perm_addr[ETH_ALEN];
	u32 link_speed;			/* Mb/s */
	bool link_up;

	/* cfg_lock protects the config spaces, num_vfs and the VFs' active flags. It
	 * is taken from the config accessors: under the PCI core's raw pci_lock for
	 * user-space accesses, with no PCI core lock for the kernel's own
	 * (CONFIG_PCI_LOCKLESS_CONFIG, as on x86). Order: the rst's lock table.
	 */
	raw_spinlock_t cfg_lock;
	u8 *pf_cfg;
	u8 *vf_cfg;			/* total_vfs * SIMNIC_CFG_SIZE */
	u16 num_vfs;

	/* lock protects the bound flags of the functions */
	spinlock_t lock;
	/* sw_lock serialises updates of the switch tables and of @switchdev */
	struct mutex sw_lock;
	/* switchdev mode when set: the PF driver's handler of what VFs send (no VEB).
	 * Written under sw_lock, read by the forwarding path under RCU.
	 */
	struct simnic_rep_rx __rcu *switchdev;

	struct simnic_fn pf;
	struct simnic_fn *vfs;		/* total_vfs entries, allocated with the card */

	struct work_struct vflr_work;	/* runs the VF side of an FLR */
	unsigned long *vflr_pending;	/* VFs with an FLR to run, atomic bitops */
	unsigned long *vflr_latched;	/* VFs whose FLR the PF has not seen yet */

	/* Servicing: SIMNIC_CARD_AWAY in flags (atomic bitops) from the start until
	 * service_work ends it; services counts the starts
	 */
	unsigned long flags;
	atomic_t services;
	struct delayed_work service_work;

	struct resource busn;
	struct pci_bus *bus;
	struct dentry *dbg;		/* debugfs directory of the card */
};

/* simnic_hw_pci.c */
int simnic_pci_create_bus(struct simnic_card *card, struct device *parent, int domain);
void simnic_pci_remove_bus(struct simnic_card *card);
void simnic_pci_init_cfg(struct simnic_card *card);
bool simnic_pci_bus_is_ours(const struct pci_bus *bus);

/* simnic_hw_fn.c */
void simnic_fn_init(struct simnic_card *card, struct simnic_fn *fn, bool is_vf,
		    u16 vf_id);
void simnic_fn_reset(struct simnic_fn *fn);
void simnic_fn_destroy(struct simnic_fn *fn);
void simnic_fn_raise(struct simnic_fn *fn, unsigned int vec, u32 cause);
void simnic_vflr_work(struct work_struct *work);

/* simnic_hw_events.c */
bool simnic_card_away(const struct simnic_card *card);
void simnic_card_set_link(struct simnic_card *card, bool up);
int simnic_card_service(struct simnic_card *card, unsigned int ms);
int simnic_card_service_end(struct simnic_card *card);
void simnic_service_work(struct work_struct *work);
int simnic_fn_reconfig_event(struct simnic_fn *vf_fn);

/* simnic_hw_mbx.c */
void simnic_mbx_init(struct simnic_mbx *mbx);
void simnic_mbx_purge(struct simnic_mbx *mbx, bool to_vf_too);
int simnic_mbx_inject(struct simnic_fn *vf_fn, u32 opcode, const void *buf, u16 len);
int simnic_mbx_take(struct simnic_fn *vf_fn, struct simnic_mbx_msg *msg);

/* simnic_hw_switch.c */
void simnic_rxq_purge(struct simnic_fn *fn, u16 qid);
void simnic_txq_init(struct simnic_fn *fn);
void simnic_txq_purge(struct simnic_fn *fn, u16 qid);

/* simnic_hw_debugfs.c */
void simnic_dbg_init(void);
void simnic_dbg_exit(void);
void simnic_dbg_card_add(struct simnic_card *card);
void simnic_dbg_card_del(struct simnic_card *card);

#endif /* _SIMNIC_HW_H_ */
