// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IGuardianModule} from "../interfaces/IGuardianModule.sol";
import {IReserveVaultErrors, IReserveVaultEvents} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {AssetState} from "../libraries/AssetState.sol";
import {QueueRecord} from "../libraries/QueueRecord.sol";
import {VaultBounds} from "../libraries/VaultBounds.sol";

/// @dev Salt of the guardian set of `guardianEpoch` in MemberSet, written by the guardian module
///      (signer sets, written by the vault, use the plain epoch).
function guardianSalt(uint32 guardianEpoch) pure returns (bytes32) {
    return bytes32((1 << 255) | uint256(guardianEpoch));
}

/// @title The vault's storage, bounds and the few reads every part of it needs.
/// @notice Holds the signer configuration, the per-asset state, the queue and the proposals.
/// @dev All state lives here, private to the vault's own abstract contracts, so the layout is in
///      one place. Nothing here changes state.
abstract contract VaultState is IReserveVaultErrors, IReserveVaultEvents {
    // The bounds the vault itself applies (ConfigRules holds and exposes every bound; keeping
    // them off the vault's external interface keeps its selector dispatch short).
    /// @notice Largest destination allowlist.
    uint256 internal constant MAX_ALLOWLIST = VaultBounds.MAX_ALLOWLIST;
    /// @notice Largest outflow limit; it also means "no limit" (outflow is then not counted).
    uint256 internal constant UNLIMITED = VaultBounds.UNLIMITED;
    /// @notice Bounds of the outflow period (fixed at deployment).
    uint256 internal constant MIN_OUTFLOW_PERIOD = VaultBounds.MIN_OUTFLOW_PERIOD;
    uint256 internal constant MAX_OUTFLOW_PERIOD = VaultBounds.MAX_OUTFLOW_PERIOD;

    /// @dev What the queue and execute paths read, in one slot (30 of 32 bytes). Delays are at
    ///      most MAX_DELAY (30 days < 2^24 s).
    struct Core {
        uint32 epoch; //            bumped by every change of the signer set or threshold
        uint8 threshold; //         M
        uint8 signerCount; //       N
        uint24 withdrawalDelay; //  seconds
        uint24 configDelay; //      seconds, >= withdrawalDelay
        uint24 executionWindow; //  seconds after eta during which anyone may execute
        uint32 listVersion; //      bumped by every allowlist change (names the member lists' code)
        bool allowlistEnabled; //   whether unknown destinations get the long delay
        uint40 frozenUntil; //      withdrawals cannot execute before this time
        uint40 coolOffUntil; //     after a recovery: withdrawals queued before this wait longDelay
    }

    /// @dev The delays guardians, recovery and the council use, in seconds, and the configuration
    ///      nonce (32 bytes).
    struct Timing {
        uint32 longDelay; //        withdrawals over limit, to unknown destinations, or in a cool-off
        uint32 coolOff; //          length of the cool-off that follows a recovery
        uint32 recoveryDelay; //    >= configDelay: signers have at least that long to cancel
        uint32 councilDelay; //     >= configDelay
        uint32 maxFreeze; //        < executionWindow: a freeze alone never expires an operation
        uint32 freezeCooldown; //   >= maxFreeze: withdrawals are frozen at most half the time
        uint32 vetoQuietPeriod; //  >= longDelay: one veto level decays per quiet period
        uint32 configNonce; //      next configuration-change nonce
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
    ///      Already packed: 4 + 1 + 1 + 1 + 4 + 20 = 31 bytes (gas-struct-packing miscounts enums).
    struct Proposal { // solhint-disable-line gas-struct-packing
        uint32 approvals; //    bit i = signer i (of the id's epoch, sorted ascending) approved
        uint8 proposer; //      index + 1 of the proposing signer in the id's epoch
        ProposalStatus status;
        ProposalKind kind;
        uint32 nonce; //        the operation's nonce (withdrawals: of `asset`)
        address asset; //       withdrawals: the asset whose nonce it uses
    }

    Core internal _core;
    /// @dev Per asset, in one slot (see AssetState): the withdrawal nonce, read and written by
    ///      every queueing, so the outflow accounting that shares its slot costs no extra access.
    mapping(address asset => AssetState) internal _assets;
    /// @dev Queue slots (see QueueRecord). Slots are reused once their operation is final or
    ///      expired, so queueing costs no fresh storage.
    mapping(uint256 slot => QueueRecord record) internal _queue;
    mapping(bytes32 id => Proposal) internal _proposals;
    Timing internal _timing;

    /// @dev The signers (first `signerCount` entries) and the destination allowlist (the rest),
    ///      both sorted, packed in one code blob: checking M signatures and the destination of a
    ///      withdrawal costs one cold account access together. A new blob is written under a new
    ///      salt (epoch, listVersion) whenever either list changes.
    function _memberLists(Core memory core) internal view returns (bytes memory) {
        return MemberSet.load(_listSalt(core.epoch, core.listVersion));
    }

    /// @dev The current signers, packed (for SignatureSet and MemberSet.indexOf).
    function _signerSet(Core memory core) internal view returns (bytes memory) {
        return MemberSet.truncate(_memberLists(core), core.signerCount);
    }

    function _signers(Core memory core) internal view returns (address[] memory) {
        return MemberSet.unpack(_signerSet(core));
    }

    /// @dev The allowlist part of a member-lists blob, unpacked.
    function _allowlist(bytes memory lists, uint256 signerCount) internal pure returns (address[] memory list) {
        uint256 n = MemberSet.length(lists) - signerCount;
        list = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            list[i] = MemberSet.at(lists, signerCount + i);
        }
    }

    /// @dev Salt of the member lists of (`epoch`, `listVersion`); guardian sets use the top bit.
    function _listSalt(uint32 epoch, uint32 listVersion) internal pure returns (bytes32) {
        return bytes32((uint256(epoch) << 32) | listVersion);
    }

    /// @dev The guardian module this vault deployed (GuardianModule), which writes the guardian sets.
    function _guardianModule() internal view virtual returns (address);

    /// @dev Guardian epoch, G, K and C, as the guardian module reports them.
    function _guardianCounts() internal view returns (uint32 guardianEpoch, uint256 g, uint256 k, uint256 council) {
        return IGuardianModule(_guardianModule()).guardianCounts();
    }

    function _checkEpoch(uint32 given, uint32 current) internal pure {
        if (given != current) revert EpochMismatch(given, current);
    }
}
