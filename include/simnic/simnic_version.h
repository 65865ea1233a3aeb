/* SPDX-License-Identifier: GPL-2.0 */
/* simnic_version.h: simnic's version, the one place it is written. The modules give it
 * to MODULE_VERSION() and to `ethtool -i`; `make deb` reads it from here for the DKMS
 * package's name and dkms.conf.
 */
#ifndef _SIMNIC_VERSION_H_
#define _SIMNIC_VERSION_H_

#define SIMNIC_VERSION "0.1.0"

#endif /* _SIMNIC_VERSION_H_ */
