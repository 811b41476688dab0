/**
 * @file sshkit.h
 * @brief The umbrella header: include this one to get all of sshkit's API.
 */
#ifndef SSHKIT_H
#define SSHKIT_H

#include "sshkit/common.h"
#include "sshkit/error.h"
#include "sshkit/key.h"
#include "sshkit/authorized_keys.h"
#include "sshkit/knownhosts.h"
#include "sshkit/session.h"
#include "sshkit/auth.h"
#include "sshkit/channel.h"
#include "sshkit/io.h"
#include "sshkit/client.h"
#include "sshkit/config.h"
#include "sshkit/sftp_common.h"
#include "sshkit/agent.h"
#include "sshkit/sftp.h"
#include "sshkit/sftp_server.h"

#endif
