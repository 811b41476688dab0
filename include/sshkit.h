/**
 * @file sshkit.h
 * @brief The umbrella header: include this one to get all of sshkit's API.
 */
#ifndef SSHKIT_H
#define SSHKIT_H

#include "sshkit/common.h"
#include "sshkit/error.h"
#include "sshkit/knownhosts.h"
#include "sshkit/key.h"
#include "sshkit/authorized_keys.h"
#include "sshkit/io.h"

#endif
