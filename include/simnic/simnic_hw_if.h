/* SPDX-License-Identifier: GPL-2.0 */
/* simnic hardware interface: the only way the PF and VF drivers touch the emulated
 * device (simnic_hw.ko). Everything a real NIC would expose through BAR registers,
 * descriptor rings and interrupts is a function call here.
 *
 * Functions: every PCI function of a card (the PF at devfn 0, VF n at devfn n + 1) has a
 * struct simnic_fn. A driver obtains it in probe with simnic_hw_fn_get() and releases it
 * in remove with simnic_hw_fn_put(). The PF driver additionally reaches the functions of
 * its VFs with simnic_hw_pf_vf_fn(), as ice reaches a VF's VSI.
 *
 * Interrupts: vector 0 of a function is its "misc" vector (mailbox, VF resets, link),
 * vectors 1..SIMNIC_MAX_QUEUES serve queue pairs as the PF maps them. Handlers run in
 * atomic context (bottom halves disabled, RCU read side) and must not sleep.
 *
 * Mailbox: one per VF, two directions. Messages are opaque to the hardware: an opcode,
 * a return value and up to SIMNIC_MBX_MAX_LEN bytes, as an admin queue descriptor with an
 * indirect buffer carries them.
 */
#ifndef _SIMNIC_HW_IF_H_
#define _SIMNIC_HW_IF_H_

#include <linux/types.h>
#include <linux/bitops.h>

struct pci_dev;
struct sk_buff;

/* QEMU's test vendor ID with device IDs no in-tree driver claims: see simnic.rst */
#define SIMNIC_PCI_VENDOR_ID		0x1234
#define SIMNIC_PF_DEVICE_ID		0x5a01
#define SIMNIC_VF_DEVICE_ID		0x5a02

/* E810's maximum; VFs past 254 have the next bus number (simnic_hw_pci.c) */
#define SIMNIC_MAX_VFS			256
#define SIMNIC_MAX_QUEUES		16
#define SIMNIC_MAX_VECTORS		(SIMNIC_MAX_QUEUES + 1)
/* RSS of a VF, as ice's: a 52-byte Toeplitz key and a 64-entry lookup table */
#define SIMNIC_RSS_KEY_SIZE		52
#define SIMNIC_RSS_LUT_SIZE		64
#define SIMNIC_VEC_MISC			0
#define SIMNIC_RING_MIN			64
#define SIMNIC_RING_MAX			4096
#define SIMNIC_RING_DEFAULT		512
#define SIMNIC_MAX_FRAME		9728

#define SIMNIC_MBX_MAX_LEN		4096
#define SIMNIC_MBX_DEPTH		64

/* Causes latched in the misc cause register, read and cleared by simnic_hw_misc_cause() */
#define SIMNIC_CAUSE_MBX		BIT(0)	/* mailbox message(s) pending */
#define SIMNIC_CAUSE_VFLR		BIT(1)	/* PF only: a VF went through FLR */
#define SIMNIC_CAUSE_LINK		BIT(2)	/* PF only: physical link changed */
#define SIMNIC_CAUSE_RESET		BIT(3)	/* VF only: the function was reset */
#define SIMNIC_CAUSE_SERVICE		BIT(4)	/* PF only: servicing began or ended */
#define SIMNIC_CAUSE_RECONFIG		BIT(5)	/* VF only: re-create the function */

/* VF reset status register (VFGEN_RSTAT in i40e/ice), written by the PF driver */
enum simnic_vfr_state {
	SIMNIC_VFR_INPROGRESS = 0,
	SIMNIC_VFR_COMPLETED = 1,
	SIMNIC_VFR_VFACTIVE = 2,
};

struct simnic_fn;

typedef void (*simnic_irq_handler_t)(void *data);

struct simnic_mbx_msg {
	u32 opcode;
	s32 retval;
	u16 len;
	u8 data[SIMNIC_MBX_MAX_LEN] __aligned(8);
};

struct simnic_hw_fn_stats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;		/* no destination, or queue disabled */
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_dropped;		/* ring full or queue disabled */
	u64 tx_spoofed;		/* dropped by MAC/VLAN anti-spoof or port VLAN */
	u64 rx_vlan_filtered;	/* tagged frames this function's VLAN filter refused */
	u64 tx_held;		/* held in the tx ring by the max tx rate */
	u64 rx_broadcast;
	u64 rx_multicast;	/* broadcast included */
	u64 rx_mac_filtered;	/* multicast this VF's MAC filter refused */
	u64 rx_oversize;	/* longer than the rx queue's max_frame */
	u64 tx_multicast;	/* broadcast included */
	u64 tx_broadcast;
	u64 rx_vlan_stripped;	/* 802.1Q tags stripped into the descriptor */
	u64 tx_vlan_inserted;	/* 802.1Q tags inserted from the descriptor */
};

/* Binding */
struct simnic_fn *simnic_hw_fn_get(struct pci_dev *pdev);
void simnic_hw_fn_put(struct simnic_fn *fn);
bool simnic_hw_fn_is_vf(const struct simnic_fn *fn);
u16 simnic_hw_fn_vf_id(const struct simnic_fn *fn);
void simnic_hw_perm_addr(const struct simnic_fn *fn, u8 *addr);
u32 simnic_hw_link_speed_mbps(const struct simnic_fn *fn);
bool simnic_hw_link_up(const struct simnic_fn *fn);
struct simnic_fn *simnic_hw_pf_vf_fn(struct simnic_fn *pf, u16 vf);

/* The version of the firmware the card runs, as a real NIC's firmware registers tell
 * it, encoded as SIMNIC_FW_VER(major, minor, build); constant for the life of the card.
 * (The card's identity is its permanent MAC, simnic_hw_perm_addr(): unique per card.)
 */
#define SIMNIC_FW_VER(major, minor, build)	((major) << 24 | (minor) << 16 | (build))
#define SIMNIC_FW_VER_MAJOR(v)			((v) >> 24)
#define SIMNIC_FW_VER_MINOR(v)			(((v) >> 16) & 0xff)
#define SIMNIC_FW_VER_BUILD(v)			((v) & 0xffff)
u32 simnic_hw_fw_version(const struct simnic_fn *fn);

/* Interrupts */
int simnic_hw_request_irq(struct simnic_fn *fn, unsigned int vec,
			  simnic_irq_handler_t handler, void *data);
void simnic_hw_free_irq(struct simnic_fn *fn, unsigned int vec);
u32 simnic_hw_misc_cause(struct simnic_fn *fn);

/* Mailbox. On a VF, @vf is ignored: the peer is always its PF. */
int simnic_hw_mbx_send(struct simnic_fn *fn, u16 vf, u32 opcode, s32 retval,
		       const void *buf, u16 len);
int simnic_hw_mbx_recv(struct simnic_fn *fn, u16 vf, struct simnic_mbx_msg *msg);
/* Messages waiting for @fn (on the PF: from VF @vf), as the head and tail registers of
 * a real mailbox queue tell: lets the PF see a VF that queues request after request
 */
unsigned int simnic_hw_mbx_pending(struct simnic_fn *fn, u16 vf);
bool simnic_hw_pf_vflr_test_and_clear(struct simnic_fn *pf, u16 vf);
/* An FLR of the PF resets every VF as well, as a VF FLR does (rstat, reset count,
 * SIMNIC_CAUSE_RESET on the VF, a latched VFLR and SIMNIC_CAUSE_VFLR on the PF), from
 * a work item. This waits for it: after it, every VF reset by an FLR so far is latched.
 */
void simnic_hw_pf_flr_wait(struct simnic_fn *pf);

/* Servicing (a firmware update, as MANA's service events): the card goes away for a
 * while. simnic_hw_ready() is false from the start, when the PF gets
 * SIMNIC_CAUSE_SERVICE, every enabled VF is reset (reset count, SIMNIC_CAUSE_RESET)
 * and the switch forgets every filter; mailboxes and queues do nothing until the end,
 * when the PF gets SIMNIC_CAUSE_SERVICE again and must program everything anew. The
 * service count moves at each start, so a PF that saw neither cause still knows.
 */
bool simnic_hw_ready(const struct simnic_fn *fn);
u32 simnic_hw_service_count(const struct simnic_fn *fn);

/* VF reconfiguration (OpenVMM's EQE 135): the device resets the VF as an FLR does and
 * counts a reconfiguration, which tells the VF driver to re-create the function, not
 * only to renegotiate. The count says whether an event is new.
 */
u32 simnic_hw_vf_reconfig_count(const struct simnic_fn *vf_fn);

/* VF reset status */
enum simnic_vfr_state simnic_hw_vf_rstat(struct simnic_fn *vf_fn);
void simnic_hw_pf_set_vf_rstat(struct simnic_fn *pf, u16 vf,
			       enum simnic_vfr_state state);
void simnic_hw_pf_reset_vf(struct simnic_fn *pf, u16 vf);
/* Counts every reset of a VF (PF-triggered or FLR); a VF driver that sees it move
 * knows its configuration in the PF and the switch is gone, as iavf learns from a
 * disabled admin queue. Each reset also raises SIMNIC_CAUSE_RESET on the VF.
 */
u32 simnic_hw_vf_reset_count(struct simnic_fn *vf_fn);

/* Queues: configured and enabled by the PF (for itself and for its VFs). An rx queue
 * takes frames of at most @max_frame bytes, FCS included (ETH_ZLEN + ETH_FCS_LEN to
 * SIMNIC_MAX_FRAME, as an Intel queue context's rxmax); the switch drops a longer one
 * and counts it in rx_oversize.
 *
 * Offloads: a tx queue takes scatter-gather frames, frames whose L4 checksum is left
 * to the device (CHECKSUM_PARTIAL) and TSO frames (GSO TCP over IPv4 or IPv6). An rx
 * queue with @gso takes such a frame whole, as a hardware GRO frame (GSO type and
 * size kept, checksum partial: what the stack's own GRO builds), if each of its
 * segments fits @max_frame. Any other rx queue gets the frame segmented, every
 * checksum filled in by the switch and marked CHECKSUM_UNNECESSARY (the switch knows
 * it is right); a frame sent with its checksum already filled reaches it unverified
 * (CHECKSUM_NONE).
 */
int simnic_hw_pf_cfg_queue(struct simnic_fn *pf, struct simnic_fn *target,
			   u16 qid, u16 ring_len, u16 max_frame, u16 vector, bool gso);
int simnic_hw_pf_enable_queue(struct simnic_fn *pf, struct simnic_fn *target,
			      u16 qid, bool enable);
void simnic_hw_pf_disable_all_queues(struct simnic_fn *pf,
				     struct simnic_fn *target);

/* Switch: MAC filters programmed by the PF, unicast and multicast (broadcast always
 * passes). A VF receives a multicast frame only if its filter has the address or it is
 * all-multicast; a promiscuous VF also receives unicast that no function has a filter
 * for. The PF receives every multicast. Clearing the filters ends both modes, and RSS.
 */
int simnic_hw_pf_set_mac_filter(struct simnic_fn *pf, struct simnic_fn *target,
				const u8 *addr, bool add);
void simnic_hw_pf_clear_filters(struct simnic_fn *pf, struct simnic_fn *target);
void simnic_hw_pf_set_promisc(struct simnic_fn *pf, struct simnic_fn *target,
			      bool promisc, bool allmulti);

/* Switch: RSS of a VF, programmed by the PF. Until its lookup table is set, the
 * switch spreads a VF's frames over its enabled rx queues by the sender's flow hash;
 * then it hashes the frame's IPv4 or IPv6 addresses, and TCP or UDP ports, with the
 * Toeplitz function and the key (all zero until set), and the hash's low six bits
 * pick the table entry, the queue (one not enabled falls back to the spread).
 */
int simnic_hw_pf_set_rss_key(struct simnic_fn *pf, struct simnic_fn *target,
			     const u8 *key);
int simnic_hw_pf_set_rss_lut(struct simnic_fn *pf, struct simnic_fn *target,
			     const u8 *lut);

/* Switch: VLAN filters, anti-spoof and port VLAN of a VF, programmed by the PF.
 * A tagged frame reaches a VF only if the VF has the VID in its filter; untagged and
 * priority-tagged (VID 0) frames always do. The PF itself receives every VID, and so
 * does a VF whose VLAN pruning the PF turned off (ice's VSI rx VLAN filtering).
 * With spoof checking on, a VF may send only from a MAC in its MAC filter and only on
 * VLANs in its VLAN filter. With a port VLAN, the switch tags what the VF sends (with
 * the port VLAN's priority), strips the tag of what it delivers to it, and drops
 * anything the VF tags itself.
 */
int simnic_hw_pf_set_vlan_filter(struct simnic_fn *pf, struct simnic_fn *target,
				 u16 vid, bool add);
void simnic_hw_pf_set_spoofchk(struct simnic_fn *pf, struct simnic_fn *target,
			       bool on);
void simnic_hw_pf_set_vlan_pruning(struct simnic_fn *pf, struct simnic_fn *target,
				   bool on);
void simnic_hw_pf_set_port_vlan(struct simnic_fn *pf, struct simnic_fn *target,
				u16 vid, u8 qos);
/* Switch: a VF's outer 802.1Q tag offloads (VLAN V2's stripping and insertion). With
 * @strip, a frame delivered to the VF with a tag has it stripped into the descriptor
 * (skb_vlan_tag_get()); with @insert, the switch inserts the tag a frame's descriptor
 * carries (skb_vlan_tag_present()) as the frame leaves the VF's tx ring, and a frame
 * that asks for one without @insert is dropped (tx_dropped). Both off at reset.
 */
int simnic_hw_pf_set_vlan_offload(struct simnic_fn *pf, struct simnic_fn *target,
				  bool strip, bool insert);
/* Switch: the most a function may send, in Mb/s (0: no limit). Above it, frames
 * wait in their tx ring (counted in tx_held) until the rate lets them go, a shaper
 * as a real NIC's transmit scheduler is: a full ring is the driver's to stop its
 * queue for.
 */
int simnic_hw_pf_set_tx_rate(struct simnic_fn *pf, struct simnic_fn *target, u32 mbps);

/* Switchdev, the slow path (ice's switchdev mode without offloads). The PF turns it on
 * with simnic_hw_pf_set_switchdev() and a handler @rx; from then on the switch forwards
 * nothing among the PF and its VFs by MAC (no VEB):
 *  - a frame a VF sends, once past its port VLAN, anti-spoof and rate checks (and
 *    counted in its tx counters), is handed to @rx with the VF's number: the receive
 *    path of the VF's representor. A port VLAN's tag is inserted, as for a VF without
 *    one. The PF's own frames leave on the physical port only.
 *  - simnic_hw_pf_rep_xmit() sends a frame to VF @vf, whatever its destination MAC
 *    (VLAN filter and port VLAN apply, as for any frame the VF receives; an untagged
 *    frame is on the VF's port VLAN): the transmit path of the representor. It
 *    returns 0 if the frame is on the VF's rx queue, -ENETDOWN if not (not in
 *    switchdev mode, no such VF, its queues disabled or full, VLAN filtered).
 * The switch keeps applying what the PF programmed for each VF: a PF driver that
 * wants the representors to be the whole policy (as ice in switchdev mode) turns off
 * anti-spoof and VLAN pruning and clears the VF's MAC filters and port VLAN.
 * @rx runs in atomic context (bottom halves disabled, RCU read side) and must not
 * sleep; the skb is its own. simnic_hw_pf_set_switchdev() with @rx NULL goes back to
 * the VEB and, as simnic_hw_free_irq(), returns once @rx is not running and will not
 * run (it may sleep). The mode belongs to the PF driver: resets and servicing keep it,
 * and the PF driver must turn it off before simnic_hw_fn_put(). Returns -EBUSY if
 * switchdev is on already, -EINVAL if @pf is not a PF.
 */
typedef void (*simnic_rep_rx_t)(void *data, u16 vf, struct sk_buff *skb);
int simnic_hw_pf_set_switchdev(struct simnic_fn *pf, simnic_rep_rx_t rx, void *data);
int simnic_hw_pf_rep_xmit(struct simnic_fn *pf, u16 vf, struct sk_buff *skb);

/* Data path, used by the driver that owns @fn.
 *
 * A tx ring has the ring_len of simnic_hw_pf_cfg_txq() in descriptors, and a frame
 * takes simnic_hw_tx_descs() of them (a buffer each: the linear part and each frag)
 * from simnic_hw_xmit() until it completes. Frames complete as they leave the queue:
 * at once, or when the max tx rate lets them go. simnic_hw_tx_done() is the count of
 * descriptors completed so far (the head write-back, free-running); the queue's
 * vector fires for a completion only after simnic_hw_tx_arm(). A disabled queue
 * drops what it held and completes its descriptors. A frame with no room in the
 * ring is dropped (-ENOSPC): the driver stops its queue before that.
 */
static inline unsigned int simnic_hw_tx_descs(const struct sk_buff *skb)
{
	return 1 + skb_shinfo(skb)->nr_frags;
}

int simnic_hw_pf_cfg_txq(struct simnic_fn *pf, struct simnic_fn *target, u16 qid,
			 u16 ring_len, u16 vector);
int simnic_hw_xmit(struct simnic_fn *fn, u16 qid, struct sk_buff *skb);
u32 simnic_hw_tx_done(struct simnic_fn *fn, u16 qid);
void simnic_hw_tx_arm(struct simnic_fn *fn, u16 qid, u32 seen);
struct sk_buff *simnic_hw_rx_pop(struct simnic_fn *fn, u16 qid);
void simnic_hw_rx_arm(struct simnic_fn *fn, u16 qid);
void simnic_hw_fn_stats(struct simnic_fn *fn, struct simnic_hw_fn_stats *stats);

#endif /* _SIMNIC_HW_IF_H_ */
