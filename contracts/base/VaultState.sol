// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IReserveVaultErrors, IReserveVaultEvents} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {QueueRecord} from "../libraries/QueueRecord.sol";

/// @title The vault's storage, bounds and the few reads every part of it needs.
/// @dev All state lives here, private to the vault's own abstract contracts, so the layout is in
///      one place. Nothing here changes state.
abstract contract VaultState is IReserveVaultErrors, IReserveVaultEvents {
    /// @notice Largest signer set (the approvals bitmap is 32 bits wide).
    uint256 public constant MAX_SIGNERS = 32;
    /// @notice Bounds of the withdrawal and configuration delays.
    uint256 public constant MIN_DELAY = 1 hours;
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice Bounds of the execution window that follows an operation's eta.
    uint256 public constant MIN_EXECUTION_WINDOW = 1 hours;
    uint256 public constant MAX_EXECUTION_WINDOW = 30 days;

    /// @dev What the queue and execute paths read, in one slot (22 of 32 bytes).
    struct Core {
        uint32 epoch; //            bumped by every change of the signer set or threshold
        uint8 threshold; //         M
        uint8 signerCount; //       N
        uint32 withdrawalDelay; //  seconds
        uint32 configDelay; //      seconds, >= withdrawalDelay
        uint32 executionWindow; //  seconds after eta during which anyone may execute
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

    function _signers(uint32 epoch) internal view returns (address[] memory) {
        return MemberSet.read(_signerSalt(epoch));
    }

    /// @dev Salt of the signer set of `epoch`; other sets (guardians) use other high bits.
    function _signerSalt(uint32 epoch) internal pure returns (bytes32) {
        return bytes32(uint256(epoch));
    }

    function _checkEpoch(uint32 given, uint32 current) internal pure {
        if (given != current) revert EpochMismatch(given, current);
    }
}
