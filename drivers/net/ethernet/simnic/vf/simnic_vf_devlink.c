// SPDX-License-Identifier: GPL-2.0
/* devlink of the VF: a health reporter named "recovery" that follows the VF's
 * recovery from resets. Its state is "error" from the moment a reset begins until the
 * VF is back ("healthy"); a recovery past recovery_timeout_ms is reported as an error
 * (the count in `devlink health show`); `devlink health diagnose` tells the stage.
 * Each change is a devlink netlink event (`devlink monitor health`).
 */
#include <net/devlink.h>
#include "simnic_vf.h"

static const char * const simnic_vf_recovery_names[] = {
	[SIMNIC_VF_RECOVERY_NONE] = "none",
	[SIMNIC_VF_RECOVERING] = "recovering",
	[SIMNIC_VF_RECOVERED] = "recovered",
	[SIMNIC_VF_RECOVERY_FAILED] = "failed",
};

const char *simnic_vf_recovery_name(enum simnic_vf_recovery stage)
{
	return simnic_vf_recovery_names[stage];
}

/* Runs with the devlink instance locked, which nests outside vf->lock. A failed put
 * is the fmsg's to keep and report (simnic_compat.h says how older kernels differ).
 */
static int simnic_vf_recovery_diagnose(struct devlink_health_reporter *reporter,
				       struct devlink_fmsg *fmsg,
				       struct netlink_ext_ack *extack)
{
	struct simnic_vf *vf = devlink_health_reporter_priv(reporter);

	mutex_lock(&vf->lock);
	devlink_fmsg_string_pair_put(fmsg, "stage", simnic_vf_recovery_name(vf->rst.recovery));
	devlink_fmsg_u32_pair_put(fmsg, "last_ms", vf->rst.recovery_ms);
	devlink_fmsg_u64_pair_put(fmsg, "recoveries", vf->cnt.recoveries);
	devlink_fmsg_u64_pair_put(fmsg, "failures", vf->cnt.recovery_failures);
	mutex_unlock(&vf->lock);
	return 0;
}

static const struct devlink_health_reporter_ops simnic_vf_recovery_ops = {
	.name = "recovery",
	.diagnose = simnic_vf_recovery_diagnose,
};

static const struct devlink_ops simnic_vf_devlink_ops = {
};

/**
 * simnic_vf_recovery_stage - the VF's recovery moved to @stage
 * @vf: the VF
 * @stage: where it is now
 *
 * Records the stage and tells devlink (no devlink lock is taken on this path: the
 * reporter has no recover or dump op).
 */
void simnic_vf_recovery_stage(struct simnic_vf *vf, enum simnic_vf_recovery stage)
{
	lockdep_assert_held(&vf->lock);
	vf->rst.recovery = stage;
	switch (stage) {
	case SIMNIC_VF_RECOVERING:
		devlink_health_reporter_state_update(vf->health,
						     DEVLINK_HEALTH_REPORTER_STATE_ERROR);
		break;
	case SIMNIC_VF_RECOVERY_FAILED:
		devlink_health_report(vf->health, "recovery from reset failed", NULL);
		break;
	default:
		devlink_health_reporter_state_update(vf->health,
						     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
		break;
	}
}

int simnic_vf_devlink_register(struct simnic_vf *vf)
{
	struct devlink_health_reporter *health;
	struct devlink *devlink;

	devlink = devlink_alloc(&simnic_vf_devlink_ops, 0, &vf->pdev->dev);
	if (!devlink)
		return -ENOMEM;
	health = devlink_health_reporter_create(devlink, &simnic_vf_recovery_ops, 0, vf);
	if (IS_ERR(health)) {
		devlink_free(devlink);
		return PTR_ERR(health);
	}
	devlink_register(devlink);
	vf->devlink = devlink;
	vf->health = health;
	return 0;
}

void simnic_vf_devlink_unregister(struct simnic_vf *vf)
{
	devlink_unregister(vf->devlink);
	devlink_health_reporter_destroy(vf->health);
	devlink_free(vf->devlink);
	vf->health = NULL;
	vf->devlink = NULL;
}
