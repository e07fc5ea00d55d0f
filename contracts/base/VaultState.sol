// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IGuardianModule} from "../interfaces/IGuardianModule.sol";
import {IReserveVaultErrors, IReserveVaultEvents} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {QueueRecord} from "../libraries/QueueRecord.sol";

/// @dev Salt of the guardian set of `guardianEpoch` in MemberSet, written by the guardian module
///      (signer sets, written by the vault, use the plain epoch).
function guardianSalt(uint32 guardianEpoch) pure returns (bytes32) {
    return bytes32((1 << 255) | uint256(guardianEpoch));
}

/// @title The vault's storage, bounds and the few reads every part of it needs.
/// @dev All state lives here, private to the vault's own abstract contracts, so the layout is in
///      one place. Nothing here changes state.
abstract contract VaultState is IReserveVaultErrors, IReserveVaultEvents {
    /// @notice Largest signer set (the approvals bitmap is 32 bits wide).
    uint256 public constant MAX_SIGNERS = MembershipRules.MAX_SIGNERS;
    /// @notice Bounds of the withdrawal and configuration delays.
    uint256 public constant MIN_DELAY = 1 hours;
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice Bounds of the execution window that follows an operation's eta.
    uint256 public constant MIN_EXECUTION_WINDOW = 1 hours;
    uint256 public constant MAX_EXECUTION_WINDOW = 30 days;
    /// @notice Largest guardian set.
    uint256 public constant MAX_GUARDIANS = MembershipRules.MAX_GUARDIANS;
    /// @notice Shortest `maxFreeze` (it must also stay below the execution window).
    uint256 public constant MIN_FREEZE = 1 minutes;

    /// @dev What the queue and execute paths read, in one slot (32 of 32 bytes).
    struct Core {
        uint32 epoch; //            bumped by every change of the signer set or threshold
        uint8 threshold; //         M
        uint8 signerCount; //       N
        uint32 withdrawalDelay; //  seconds
        uint32 configDelay; //      seconds, >= withdrawalDelay
        uint32 executionWindow; //  seconds after eta during which anyone may execute
        uint32 configNonce; //      next configuration-change nonce
        uint40 frozenUntil; //      withdrawals cannot execute before this time
        uint40 coolOffUntil; //     after a recovery: withdrawals queued before this wait longDelay
    }

    /// @dev The delays guardians, recovery and the council use, in seconds (28 bytes).
    struct Timing {
        uint32 longDelay; //        withdrawals during a recovery cool-off; >= withdrawalDelay
        uint32 coolOff; //          length of the cool-off that follows a recovery
        uint32 recoveryDelay; //    >= configDelay: signers have at least that long to cancel
        uint32 councilDelay; //     >= configDelay
        uint32 maxFreeze; //        < executionWindow: a freeze alone never expires an operation
        uint32 freezeCooldown; //   >= maxFreeze: withdrawals are frozen at most half the time
        uint32 vetoQuietPeriod; //  >= longDelay: one veto level decays per quiet period
    }

    enum ProposalStatus {
        None,
        Pending,
        Queued,
        Cancelled,
        Revoked
    }

    enum ProposalKind {
        Withdrawal,
        ConfigChange,
        Cancellation
    }

    /// @dev On-chain approvals of one operation id (a withdrawal, config change or cancellation),
    ///      in one slot (31 bytes). The nonce lets a quorum's cancellation tell a proposal that can
    ///      still be queued from one whose nonce another operation (or itself, by signatures) used.
    struct Proposal {
        uint32 approvals; //    bit i = signer i (of the id's epoch, sorted ascending) approved
        uint8 proposer; //      index + 1 of the proposing signer in the id's epoch
        ProposalStatus status;
        ProposalKind kind;
        uint32 nonce; //        the operation's nonce (withdrawals: of `asset`)
        address asset; //       withdrawals: the asset whose nonce it uses
    }

    Core internal _core;
    /// @dev Next withdrawal nonce per asset: withdrawals of one asset are queued in nonce order.
    mapping(address asset => uint32 nonce) internal _withdrawalNonces;
    /// @dev Queue slots (see QueueRecord). Slots are reused once their operation is final or
    ///      expired, so queueing costs no fresh storage.
    mapping(uint256 slot => QueueRecord record) internal _queue;
    mapping(bytes32 id => Proposal) internal _proposals;
    Timing internal _timing;

    function _signers(uint32 epoch) internal view returns (address[] memory) {
        return MemberSet.read(_signerSalt(epoch));
    }

    /// @dev Salt of the signer set of `epoch`; other sets (guardians) use other high bits.
    function _signerSalt(uint32 epoch) internal pure returns (bytes32) {
        return bytes32(uint256(epoch));
    }

    /// @dev The guardian module this vault deployed (GuardianModule), which writes the guardian sets.
    function _guardianModule() internal view virtual returns (address);

    /// @dev Guardian epoch, G, K and C, as the guardian module reports them.
    function _guardianCounts() internal view returns (uint32 guardianEpoch, uint256 g, uint256 k, uint256 council) {
        return IGuardianModule(_guardianModule()).guardianCounts();
    }

    /// @dev The current guardians, packed, read from the module's code (not a call).
    function _guardianMembers() internal view returns (bytes memory) {
        (uint32 guardianEpoch,,,) = _guardianCounts();
        return MemberSet.load(guardianSalt(guardianEpoch), _guardianModule());
    }

    function _checkEpoch(uint32 given, uint32 current) internal pure {
        if (given != current) revert EpochMismatch(given, current);
    }
}
