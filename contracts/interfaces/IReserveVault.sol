// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title Types shared by the vault, its libraries and its tooling.
/// @dev The EIP-712 structs signers sign are exactly these calldata structs, except that a
///      `ConfigChange.action` is signed as its human-readable name (see `OperationHashing`).

/// @notice What a configuration change does. The EIP-712 `action` string is the camelCase name.
enum ConfigAction {
    AddSigner, //            "addSigner":            account joins; value = new threshold
    RemoveSigner, //         "removeSigner":         account leaves; value = new threshold
    ReplaceSigner, //        "replaceSigner":        account is replaced by `replacement`
    SetThreshold, //         "setThreshold":         value = new threshold
    SetWithdrawalDelay, //   "setWithdrawalDelay":   value = seconds
    SetConfigDelay, //       "setConfigDelay":       value = seconds
    SetExecutionWindow, //   "setExecutionWindow":   value = seconds
    AddGuardian, //          "addGuardian":          account joins the guardians; value = new guardian threshold
    RemoveGuardian, //       "removeGuardian":       account leaves; value = new guardian threshold
    ReplaceGuardian, //      "replaceGuardian":      account is replaced by `replacement`
    SetGuardianThreshold, // "setGuardianThreshold": value = new guardian threshold
    SetCouncilThreshold, //  "setCouncilThreshold":  value = new council threshold
    SetLongDelay, //         "setLongDelay":         value = seconds
    SetCoolOff, //           "setCoolOff":           value = seconds
    SetRecoveryDelay, //     "setRecoveryDelay":     value = seconds
    SetCouncilDelay, //      "setCouncilDelay":      value = seconds
    SetMaxFreeze, //         "setMaxFreeze":         value = seconds
    SetFreezeCooldown, //    "setFreezeCooldown":    value = seconds
    SetVetoQuietPeriod, //   "setVetoQuietPeriod":   value = seconds
    SetOutflowLimit, //      "setOutflowLimit":      account = asset (address(0) = ETH); value = limit per period
    AllowDestination, //     "allowDestination":     account joins the destination allowlist
    DisallowDestination, //  "disallowDestination":  account leaves the destination allowlist
    SetAllowlistEnabled //   "setAllowlistEnabled":  value = 1 (on) or 0 (off)
}

/// @notice Why a withdrawal gets the delay it gets (docs/SPEC.md §4.1): the first rule that applies.
enum DelayReason {
    WithinLimit, //      normal withdrawal delay: allowed destination, within the asset's outflow limit
    OverLimit, //        long delay: the asset's outflow in the withdrawal's period would exceed its limit
    UnknownDestination, // long delay: the allowlist is on and the destination is not on it
    RecoveryCoolOff //   long delay: queued during the cool-off that follows a recovery
}

/// @notice Every delay, in seconds (docs/SPEC.md §5).
struct Timings {
    uint256 withdrawalDelay;
    uint256 configDelay;
    uint256 executionWindow;
    uint256 longDelay;
    uint256 coolOff;
    uint256 recoveryDelay;
    uint256 councilDelay;
    uint256 maxFreeze;
    uint256 freezeCooldown;
    uint256 vetoQuietPeriod;
}

/// @notice The vault's configuration of the moment, as ConfigRules checks a change against it.
struct RulesSnapshot {
    uint256 threshold;
    uint256 guardianThreshold;
    uint256 councilThreshold;
    bool allowlistEnabled;
    uint256 assetLimit; //    the current outflow limit of the change's `account` (SetOutflowLimit)
    Timings timings;
    address[] signers; //     sorted
    address[] guardians; //   sorted
    address[] allowlist; //   sorted
}

/// @notice What a valid configuration change does to how fast funds can leave (docs/SPEC.md §4.1).
enum ChangeEffect {
    Neutral, //    waits the configuration delay
    Tightening, // lowers a limit, removes an allowlist entry, turns the allowlist on: applies at once
    Loosening //   raises a limit, allows a destination, turns the allowlist off, shortens the
    //             withdrawal or long delay: waits max(configuration delay, long delay)
}

/// @notice An asset's outflow limit per period, as the constructor takes it.
struct OutflowLimit {
    address asset;
    uint256 limit;
}

/// @notice Move `amount` of `asset` (address(0) = ETH) to `to`.
/// @dev `nonce` is the asset's next withdrawal nonce when the withdrawal is queued; `epoch` the
///      membership epoch it was approved under.
struct Withdrawal {
    address asset;
    address to;
    uint256 amount;
    uint32 nonce;
    uint32 epoch;
}

/// @notice Change the vault's own configuration. Fields that an action does not use must be zero.
struct ConfigChange {
    ConfigAction action;
    address account;
    address replacement;
    uint256 value;
    uint32 nonce;
    uint32 epoch;
}

/// @notice Guardians propose a new signer set and threshold after key loss (the OKEx case).
/// @dev `signers` strictly ascending; `nonce` is the vault's next recovery nonce; `guardianEpoch`
///      the guardian membership epoch it was signed under.
struct Recovery {
    address[] signers;
    uint256 threshold;
    uint32 nonce;
    uint32 guardianEpoch;
}

/// @notice The council (signers and guardians together) replaces signers and/or guardians.
/// @dev An empty array keeps that group (its threshold must then be 0). Arrays strictly ascending.
struct CouncilChange {
    address[] signers;
    uint256 threshold;
    address[] guardians;
    uint256 guardianThreshold;
    uint256 councilThreshold;
    uint32 nonce;
}

/// @notice A key's signed proof of liveness at time `at` (≤ now when recorded).
struct Heartbeat {
    address key;
    uint40 at;
    bytes signature;
}

/// @notice The state of an operation, derived from its queue slot, its proposal record and the clock.
enum OperationState {
    Unknown, //   nothing on-chain (maybe signed off-chain, never submitted)
    Pending, //   proposed on-chain, approvals below threshold
    Queued, //    approved by the quorum, waiting for its eta
    Ready, //     eta reached, executable until eta + executionWindow
    Expired, //   the execution window passed without execution
    Executed, //  final
    Cancelled, // final: cancelled by the signer quorum
    Revoked //    its proposer withdrew the proposal; M signatures may still queue it
}

/// @notice Errors of the vault, each named for the rule that was broken and carrying the values involved.
interface IReserveVaultErrors {
    // --- membership and configuration rules ---
    error SignerCountOutOfRange(uint256 count, uint256 max);
    error ThresholdOutOfRange(uint256 threshold, uint256 signerCount);
    error SignerIsZeroAddress();
    error SignerAlreadyMember(address signer);
    error SignerNotMember(address account);
    error DelayOutOfRange(ConfigAction action, uint256 value, uint256 min, uint256 max);
    error UnusedFieldNotZero(ConfigAction action);
    error OutflowLimitTooLarge(uint256 limit, uint256 max);
    error OutflowPeriodOutOfRange(uint256 period, uint256 min, uint256 max);
    error DestinationIsZeroAddress();
    error DestinationAlreadyAllowed(address destination);
    error DestinationNotAllowed(address destination);
    error AllowlistFull(uint256 max);
    error AllowlistFlagInvalid(uint256 value);
    error AllowlistUnchanged(bool enabled);
    error NotATightening(ConfigAction action);

    // --- approvals ---
    error CallerNotSigner(address caller);
    error CallerNotProposer(address caller, address proposer);
    error AlreadyApproved(bytes32 id, address signer);
    error SignaturesLengthInvalid(uint256 length);
    error SignatureInvalid(uint256 index);
    error SignatureNotFromSigner(uint256 index, address recovered);
    error SignatureDuplicated(uint256 index, address signer);
    error SignaturesNotAscending(uint256 index, address signer, address previous);
    error ThresholdNotMet(uint256 required, uint256 valid);

    // --- operation lifecycle ---
    error EpochMismatch(uint32 given, uint32 current);
    error NonceMismatch(uint32 given, uint32 expected);
    error ProposalAlreadyExists(bytes32 id);
    error ProposalNotPending(bytes32 id);
    error QueueSlotOccupied(uint256 slot);
    error OperationNotQueued(bytes32 id, uint256 slot);
    error OperationNotReady(bytes32 id, uint256 eta, uint256 now_);
    error OperationExpired(bytes32 id, uint256 deadline, uint256 now_);
    error NothingToCancel(bytes32 id, uint256 slot);
    error NonceNotNext(uint32 nonce, uint32 next);
    error NothingToRelease(bytes32 id, uint256 slot);

    // --- guardians, freeze, recovery, council ---
    error GuardianCountOutOfRange(uint256 count, uint256 max);
    error GuardianThresholdOutOfRange(uint256 threshold, uint256 guardianCount);
    error GuardianIsZeroAddress();
    error GuardianAlreadyMember(address guardian);
    error GuardianNotMember(address account);
    error GuardianIsSigner(address account);
    error CouncilThresholdOutOfRange(uint256 councilThreshold, uint256 min, uint256 max);
    error MembersNotAscending(uint256 index);
    error GuardianEpochMismatch(uint32 given, uint32 current);
    error VetoThresholdNotMet(uint256 required, uint256 valid);
    error NotVetoable(bytes32 id, uint256 slot);
    error WithdrawalsFrozen(uint256 until);
    error FreezeCoolingDown(uint256 availableAt);
    error NotFrozen();
    error RecoveryAlreadyPending(bytes32 id);
    error RecoveryNotQueued(bytes32 id);
    error CouncilChangeNotQueued(bytes32 id);
    error CouncilChangeEmpty();
    error CallerNotVault(address caller);
    error CallerNotGuardianModule(address caller);
    error UnusedCouncilField();
    error CallerNotKeyHolder(address caller);
    error HeartbeatInFuture(address key, uint256 at);
    error HeartbeatSignatureInvalid(uint256 index);

    // --- withdrawals ---
    error WithdrawalToZeroAddress();
    error WithdrawalAmountZero();
    error EthTransferFailed(address to, uint256 amount);
}

/// @notice Events of the vault: one per state change, past tense; a withdrawal's content in full
///         when it is proposed and queued.
interface IReserveVaultEvents {
    event WithdrawalProposed(
        bytes32 indexed id, address indexed proposer, address indexed asset, address to, uint256 amount, uint32 nonce
    );
    event ConfigChangeProposed(bytes32 indexed id, address indexed proposer, ConfigChange change);
    event CancellationProposed(bytes32 indexed id, address indexed proposer, bytes32 indexed operation);
    event OperationApproved(bytes32 indexed id, address indexed signer, uint256 approvals);
    event ProposalRevoked(bytes32 indexed id, address indexed proposer);

    event WithdrawalQueued(
        bytes32 indexed id,
        address indexed asset,
        address indexed to,
        uint256 amount,
        uint32 nonce,
        uint256 slot,
        uint256 eta
    );
    event ConfigChangeQueued(bytes32 indexed id, ConfigChange change, uint256 slot, uint256 eta);
    /// @dev The id alone: {WithdrawalQueued} (same id) carries the content, and an ERC-20 transfer
    ///      its own Transfer event. Repeating asset, recipient and amount here cost ~1,000 gas per
    ///      withdrawal (docs/BENCHMARK.md, docs/SPEC.md §9).
    event WithdrawalExecuted(bytes32 indexed id);
    event ConfigChangeExecuted(bytes32 indexed id, ConfigAction indexed action);
    event OperationCancelled(bytes32 indexed id, uint256 slot);

    event SignerAdded(address indexed signer);
    event SignerRemoved(address indexed signer);
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    event EpochAdvanced(uint32 oldEpoch, uint32 newEpoch);
    event DelayChanged(ConfigAction indexed action, uint256 oldValue, uint256 newValue);
    event OutflowLimitChanged(address indexed asset, uint256 oldLimit, uint256 newLimit);
    event AllowlistEntryChanged(address indexed destination, bool wasAllowed, bool isAllowed);
    event AllowlistEnabledChanged(bool wasEnabled, bool isEnabled);
    event Tightened(bytes32 indexed id, ConfigAction indexed action, bool byGuardians);
    event OutflowReleased(bytes32 indexed id, address indexed asset, uint256 amount);

    event GuardianAdded(address indexed guardian);
    event GuardianRemoved(address indexed guardian);
    event GuardianThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    event CouncilThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    event GuardianEpochAdvanced(uint32 oldEpoch, uint32 newEpoch);
    event OperationVetoed(bytes32 indexed id, uint256 slot, uint256 approvals, uint256 required);
    event VetoLevelChanged(uint256 oldLevel, uint256 newLevel);
    event Frozen(uint256 until, uint256 nextFreezeAt, uint256 approvals);
    event Unfrozen(uint256 at);
    event RecoveryQueued(bytes32 indexed id, address[] signers, uint256 threshold, uint256 eta);
    event RecoveryExecuted(bytes32 indexed id, uint256 coolOffUntil);
    event RecoveryCancelled(bytes32 indexed id);
    event CouncilChangeQueued(bytes32 indexed id, CouncilChange change, uint256 approvals, uint256 eta);
    event CouncilChangeExecuted(bytes32 indexed id);
    event CouncilChangeSuperseded(bytes32 indexed id);
    event KeySeen(address indexed key, uint256 at);
    event FrozenUntilChanged(uint256 oldUntil, uint256 newUntil);
    event CoolOffStarted(uint256 until);
    event VaultBound(address indexed vault);
    event Deposited(address indexed from, uint256 amount);
}
