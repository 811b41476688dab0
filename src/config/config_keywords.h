/* The keywords of ssh_config: one id per OpenSSH option, the kind that
 * says how its arguments are read and its lines combined, and the tables
 * of names (config_keywords.c). */
#ifndef SSHKIT_CONFIG_KEYWORDS_H
#define SSHKIT_CONFIG_KEYWORDS_H

#define SK_CFG_TUN_ANY 0x7fffffff       /* TunnelDevice "any" */

/* One per OpenSSH option; aliases map onto these. */
enum sk_cfg_kw {
    SK_KW_FORWARDAGENT, SK_KW_FORWARDX11, SK_KW_FORWARDX11TRUSTED, SK_KW_FORWARDX11TIMEOUT,
    SK_KW_EXITONFORWARDFAILURE, SK_KW_XAUTHLOCATION, SK_KW_GATEWAYPORTS,
    SK_KW_PASSWORDAUTHENTICATION, SK_KW_KBDINTERACTIVEAUTHENTICATION,
    SK_KW_KBDINTERACTIVEDEVICES, SK_KW_PUBKEYAUTHENTICATION, SK_KW_HOSTBASEDAUTHENTICATION,
    SK_KW_GSSAPIAUTHENTICATION, SK_KW_GSSAPIDELEGATECREDENTIALS, SK_KW_PKCS11PROVIDER,
    SK_KW_IDENTITYFILE, SK_KW_IDENTITIESONLY, SK_KW_CERTIFICATEFILE, SK_KW_ADDKEYSTOAGENT,
    SK_KW_IDENTITYAGENT, SK_KW_HOSTNAME, SK_KW_HOSTKEYALIAS, SK_KW_PROXYCOMMAND, SK_KW_PORT,
    SK_KW_CIPHERS, SK_KW_MACS, SK_KW_REMOTEFORWARD, SK_KW_LOCALFORWARD,
    SK_KW_PERMITREMOTEOPEN, SK_KW_USER, SK_KW_ESCAPECHAR, SK_KW_GLOBALKNOWNHOSTSFILE,
    SK_KW_USERKNOWNHOSTSFILE, SK_KW_CONNECTIONATTEMPTS, SK_KW_BATCHMODE, SK_KW_CHECKHOSTIP,
    SK_KW_STRICTHOSTKEYCHECKING, SK_KW_COMPRESSION, SK_KW_TCPKEEPALIVE,
    SK_KW_NUMBEROFPASSWORDPROMPTS, SK_KW_SYSLOGFACILITY, SK_KW_LOGLEVEL, SK_KW_LOGVERBOSE,
    SK_KW_DYNAMICFORWARD, SK_KW_PREFERREDAUTHENTICATIONS, SK_KW_HOSTKEYALGORITHMS,
    SK_KW_CASIGNATUREALGORITHMS, SK_KW_BINDADDRESS, SK_KW_BINDINTERFACE,
    SK_KW_CLEARALLFORWARDINGS, SK_KW_ENABLESSHKEYSIGN, SK_KW_VERIFYHOSTKEYDNS,
    SK_KW_NOHOSTAUTHENTICATIONFORLOCALHOST, SK_KW_REKEYLIMIT, SK_KW_CONNECTTIMEOUT,
    SK_KW_ADDRESSFAMILY, SK_KW_SERVERALIVEINTERVAL, SK_KW_SERVERALIVECOUNTMAX, SK_KW_SENDENV,
    SK_KW_SETENV, SK_KW_CONTROLPATH, SK_KW_CONTROLMASTER, SK_KW_CONTROLPERSIST,
    SK_KW_HASHKNOWNHOSTS, SK_KW_TUNNEL, SK_KW_TUNNELDEVICE, SK_KW_LOCALCOMMAND,
    SK_KW_PERMITLOCALCOMMAND, SK_KW_REMOTECOMMAND, SK_KW_VISUALHOSTKEY, SK_KW_KEXALGORITHMS,
    SK_KW_IPQOS, SK_KW_REQUESTTTY, SK_KW_SESSIONTYPE, SK_KW_STDINNULL,
    SK_KW_FORKAFTERAUTHENTICATION, SK_KW_PROXYUSEFDPASS, SK_KW_CANONICALDOMAINS,
    SK_KW_CANONICALIZEFALLBACKLOCAL, SK_KW_CANONICALIZEHOSTNAME, SK_KW_CANONICALIZEMAXDOTS,
    SK_KW_CANONICALIZEPERMITTEDCNAMES, SK_KW_STREAMLOCALBINDMASK, SK_KW_STREAMLOCALBINDUNLINK,
    SK_KW_REVOKEDHOSTKEYS, SK_KW_FINGERPRINTHASH, SK_KW_UPDATEHOSTKEYS,
    SK_KW_HOSTBASEDACCEPTEDALGORITHMS, SK_KW_PUBKEYACCEPTEDALGORITHMS, SK_KW_IGNOREUNKNOWN,
    SK_KW_PROXYJUMP, SK_KW_SECURITYKEYPROVIDER, SK_KW_KNOWNHOSTSCOMMAND, SK_KW_REQUIREDRSASIZE,
    SK_KW_ENABLEESCAPECOMMANDLINE,
    SK_KW_COUNT
};

/* What a looked-up word is besides a setting. */
enum {
    SK_KW_UNKNOWN = -1, SK_KW_HOST = -2, SK_KW_MATCH = -3, SK_KW_INCLUDE = -4,
    SK_KW_IGNORE = -5,       /* silently ("protocol") */
    SK_KW_DEPRECATED = -6,   /* with a debug line */
    SK_KW_UNSUPPORTED = -7   /* with a notice, as ssh's "Unsupported option" */
};

/* How a keyword's arguments are read and its values combined. */
enum sk_cfg_kind {
    SK_KIND_FLAG,            /* yes/no/true/false */
    SK_KIND_MULTI,           /* one of a table of names */
    SK_KIND_INT,             /* a decimal integer */
    SK_KIND_TIME,            /* "90", "1m30s"; "none" sets nothing */
    SK_KIND_STRING,          /* one word */
    SK_KIND_COMMAND,         /* the rest of the line as written */
    SK_KIND_ALGS,            /* an algorithm list, "+", "-" or "^" allowed */
    SK_KIND_WORDS,           /* words, first line wins, "none" alone */
    SK_KIND_PATH_ACCUM,      /* one path a line, accumulated without duplicates */
    SK_KIND_FORWARD,         /* LocalForward, RemoteForward, DynamicForward */
    SK_KIND_SENDENV, SK_KIND_SETENV, SK_KIND_DOMAINS, SK_KIND_CNAMES, SK_KIND_REMOTEOPEN,
    SK_KIND_PORT, SK_KIND_ESCAPECHAR, SK_KIND_REKEYLIMIT, SK_KIND_LOGLEVEL,
    SK_KIND_FACILITY, SK_KIND_PERSIST, SK_KIND_TUNNELDEVICE, SK_KIND_IPQOS, SK_KIND_MASK,
    SK_KIND_FPHASH, SK_KIND_ADDKEYS, SK_KIND_AGENT, SK_KIND_FORWARDAGENT, SK_KIND_JUMP
};

/* A name and the value it stands for (multi-state keywords, IPQoS...). */
struct sk_cfg_choice {
    const char *name;
    int value;
};

struct sk_cfg_keyword {
    const char *name;                       /* lowercase, as ssh -G prints it */
    enum sk_cfg_kind kind;
    const struct sk_cfg_choice *choices;    /* MULTI (and FLAG) */
    int alg_kind;                           /* ALGS: an sshkit_algorithm_kind */
};

extern const struct sk_cfg_keyword sk_cfg_keywords[SK_KW_COUNT];

/* A SK_KW_* id or one of the negative word kinds, for a keyword in any case. */
int sk_cfg_lookup(const char *word);
/* A setting keyword's id, or -1 (aliases accepted). */
int sk_cfg_setting(const char *word);
/* The name for a value of a multi-state table, as ssh prints it: the first
 * entry with that value; "UNKNOWN" when none. */
const char *sk_cfg_choice_name(const struct sk_cfg_choice *table, int value);
/* The value of a name (any case), or -1. */
int sk_cfg_choice_value(const struct sk_cfg_choice *table, const char *name);

extern const struct sk_cfg_choice sk_cfg_flag_choices[];
extern const struct sk_cfg_choice sk_cfg_loglevel_choices[];
extern const struct sk_cfg_choice sk_cfg_facility_choices[];
extern const struct sk_cfg_choice sk_cfg_ipqos_choices[];

#endif
