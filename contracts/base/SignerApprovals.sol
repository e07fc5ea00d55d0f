// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MemberSet} from "../libraries/MemberSet.sol";
import {SignatureSet} from "../libraries/SignatureSet.sol";
import {VaultState} from "./VaultState.sol";

/// @title Counting the signer quorum's approvals: EIP-712 signatures and on-chain proposals.
/// @notice An operation reaches the quorum with M approvals: signatures, on-chain approvals of its
///         proposal, or both together.
/// @dev Signatures are concatenated 65-byte (r, s, v) values, signers strictly ascending, checked
///      with OpenZeppelin's ECDSA (low-s only) against the signer set of the current epoch, read
///      once from code (see MemberSet). On-chain approvals are a bitmap over that sorted set.
abstract contract SignerApprovals is VaultState {
    /// @dev Counts `signatures` over `id` (strictly ascending signers of the current epoch) and,
    ///      only if they fall short, adds the on-chain approvals of a pending proposal. Returns
    ///      whether it used that proposal (the caller then closes it); a pure-signature quorum
    ///      never reads proposal storage.
    function _requireQuorum(bytes32 id, bytes calldata signatures, Core memory core)
        internal
        view
        returns (bool usedProposal)
    {
        return _requireQuorum(id, signatures, core, signatures.length == 0 ? bytes("") : _signerSet(core));
    }

    /// @dev As above, with the current signer set already loaded (packed).
    function _requireQuorum(bytes32 id, bytes calldata signatures, Core memory core, bytes memory signerSet)
        internal
        view
        returns (bool usedProposal)
    {
        (uint256 bitmap, uint256 valid) = _verifySignatures(id, signatures, signerSet);
        if (valid < core.threshold) {
            Proposal memory p = _proposals[id];
            if (p.status == ProposalStatus.Pending) {
                valid = _popcount(bitmap | p.approvals);
                usedProposal = true;
            }
            if (valid < core.threshold) revert ThresholdNotMet(core.threshold, valid);
        }
    }

    /// @dev Returns the bitmap of signer indices whose signatures are valid, and their count (every
    ///      signature counts once or the call reverts). Reverts on any bad signature: malformed or
    ///      high-s, from a non-signer, a duplicate, or signers out of order.
    function _verifySignatures(bytes32 id, bytes calldata signatures, bytes memory signerSet)
        internal
        pure
        returns (uint256 bitmap, uint256 count)
    {
        if (signatures.length == 0) return (0, 0);
        return SignatureSet.count(id, signatures, signerSet);
    }

    /// @dev Opens a proposal for `id` by the calling signer, with its approval; returns 1.
    function _propose(bytes32 id, ProposalKind kind, address asset, uint32 nonce, Core memory core)
        internal
        returns (uint256 count)
    {
        Proposal storage p = _proposals[id];
        if (p.status != ProposalStatus.None) revert ProposalAlreadyExists(id);
        uint256 index = _signerIndex(msg.sender, core);
        // Cast is safe: index < MembershipRules.MAX_SIGNERS (32).
        _proposals[id] = Proposal({
            approvals: uint32(1 << index),
            proposer: uint8(index + 1),
            status: ProposalStatus.Pending,
            kind: kind,
            nonce: nonce,
            asset: asset
        });
        count = 1;
        emit OperationApproved(id, msg.sender, count);
    }

    /// @dev Records the caller's approval of pending `id`; returns the approval count.
    function _approve(bytes32 id, Core memory core) internal returns (uint256 count) {
        uint256 index = _signerIndex(msg.sender, core);
        Proposal storage p = _proposals[id];
        if (p.status != ProposalStatus.Pending) revert ProposalNotPending(id);
        uint32 bit = uint32(1 << index);
        if (p.approvals & bit != 0) revert AlreadyApproved(id, msg.sender);
        p.approvals |= bit;
        count = _popcount(p.approvals);
        emit OperationApproved(id, msg.sender, count);
    }

    /// @dev The address of a proposal's proposer (index + 1 into the current signer set); zero if
    ///      none or if the set has changed so that the index is out of range.
    function _proposerOf(uint8 proposerPlusOne) internal view returns (address) {
        if (proposerPlusOne == 0) return address(0);
        address[] memory members = _signers(_core);
        return proposerPlusOne <= members.length ? members[proposerPlusOne - 1] : address(0);
    }

    /// @dev Whether pending proposal `p` can still be queued: its nonce is unused. A cancellation
    ///      proposal is never itself cancellable.
    function _canStillQueue(Proposal memory p) internal view returns (bool) {
        if (p.kind == ProposalKind.Withdrawal) return p.nonce >= _assets[p.asset].nonce();
        if (p.kind == ProposalKind.ConfigChange) return p.nonce >= _timing.configNonce;
        return false;
    }

    function _signerIndex(address account, Core memory core) internal view returns (uint256 index) {
        bool found;
        (index, found) = MemberSet.indexOf(_signerSet(core), account, 0);
        if (!found) revert CallerNotSigner(account);
    }

    function _popcount(uint256 x) internal pure returns (uint256) {
        return SignatureSet.popcount(x);
    }
}
