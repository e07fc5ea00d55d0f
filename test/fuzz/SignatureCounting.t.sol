// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {IReserveVaultErrors, OperationState, Withdrawal} from "../../contracts/interfaces/IReserveVault.sol";
import {VaultFuzzBase} from "./VaultFuzzBase.sol";

/// @title Fuzzed properties of ReserveVault's signature counting, through `queueWithdrawal`.
/// @notice Each run deploys an M-of-N vault (1 <= M <= N <= 12, keys derived from a fuzzed seed)
///         and lets the signers picked by a fuzzed bitmask (k of them) sign a fuzzed withdrawal's
///         EIP-712 digest (`vault.withdrawalId(w)`), packed as abi.encodePacked(r, s, v) in
///         ascending signer order. Properties:
///         - k distinct valid signatures queue the withdrawal iff k >= M, else ThresholdNotMet(M, k);
///         - a non-signer's signature, inserted anywhere, reverts;
///         - a copy of any signature reverts: SignatureDuplicated next to its original,
///           SignaturesNotAscending anywhere else (so a copy can never pad a set to the threshold);
///         - two adjacent signatures swapped revert SignaturesNotAscending;
///         - the high-s twin of any signature (same signer, still accepted by ecrecover) reverts
///           SignatureInvalid;
///         - a length that is not a multiple of 65 reverts SignaturesLengthInvalid.
///         Every malformed set is rejected with the exact error and index predicted here; the
///         well-formed set is then submitted and must follow the threshold rule, which shows that
///         the revert came from the malformation, even when the set otherwise meets the threshold.
contract SignatureCountingFuzzTest is VaultFuzzBase {
    /// @dev The delays do not matter here; any valid ones will do.
    uint256 private constant WITHDRAWAL_DELAY = 1 days;
    uint256 private constant CONFIG_DELAY = 2 days;
    uint256 private constant EXECUTION_WINDOW = 7 days;

    struct Scenario {
        ReserveVault vault;
        Signer[] signers; //  all N signers, ascending
        uint256 threshold; // M
        Signer[] chosen; //   the k signers who sign, ascending
        bytes[] sigs; //      their signatures over `id`, ascending
        Withdrawal w;
        bytes32 id;
        uint256 slot;
    }

    // -------------------------------------------------------------------------------------
    // Properties
    // -------------------------------------------------------------------------------------

    function testFuzz_QueuesIffAtLeastThresholdSignersSign(uint256 seed, uint256 nRaw, uint256 mRaw, uint256 mask)
        external
    {
        Scenario memory s = _scenario(seed, nRaw, mRaw, mask, 1);
        _queueAndCheckThresholdRule(s);
    }

    function testFuzz_NonSignerSignatureRevertsAnywhere(
        uint256 seed,
        uint256 nRaw,
        uint256 mRaw,
        uint256 mask,
        uint256 outsiderKeyRaw,
        uint256 positionRaw
    ) external {
        // The scenario is built in its own call frame: inlined here, via-IR runs out of stack.
        uint256[2] memory raw = [outsiderKeyRaw, positionRaw];
        _outsiderSignatureReverts(this.buildScenario(seed, nRaw, mRaw, mask), raw);
    }

    /// @notice A scenario of at least one signer (an external frame for the test above).
    function buildScenario(uint256 seed, uint256 nRaw, uint256 mRaw, uint256 mask)
        external
        returns (Scenario memory)
    {
        return _scenario(seed, nRaw, mRaw, mask, 1);
    }

    /// @dev testFuzz_NonSignerSignatureRevertsAnywhere's body, in its own frame (stack depth).
    function _outsiderSignatureReverts(Scenario memory s, uint256[2] memory raw) private {
        (uint256 outsiderKeyRaw, uint256 positionRaw) = (raw[0], raw[1]);
        uint256 outsiderKey = _bound(outsiderKeyRaw, 1, SECP256K1_ORDER - 1);
        Signer memory outsider = Signer(vm.addr(outsiderKey), outsiderKey);
        vm.assume(!s.vault.isSigner(outsider.account));

        uint256 position = _bound(positionRaw, 0, s.chosen.length);
        bytes[] memory sigs = _insertAt(s.sigs, position, _signOne(outsider, s.id));
        // The signatures before `position` pass. The outsider's is then caught by the order check
        // if it is not above its predecessor, and by the membership check otherwise.
        address previous = position == 0 ? address(0) : s.chosen[position - 1].account;
        vm.expectRevert(_outsiderError(position, outsider.account, previous));
        s.vault.queueWithdrawal(s.w, s.slot, _join(sigs));

        _queueAndCheckThresholdRule(s);
    }

    function testFuzz_DuplicatedSignatureReverts(
        uint256 seed,
        uint256 nRaw,
        uint256 mRaw,
        uint256 mask,
        uint256 whichRaw,
        uint256 positionRaw
    ) external {
        Scenario memory s = _scenario(seed, nRaw, mRaw, mask, 1);
        uint256 k = s.chosen.length;
        vm.assume(k >= 1);

        uint256 which = _bound(whichRaw, 0, k - 1);
        uint256 position = _bound(positionRaw, 0, k);
        bytes[] memory sigs = _insertAt(s.sigs, position, s.sigs[which]);
        address copied = s.chosen[which].account;
        bytes memory expected;
        if (position == which || position == which + 1) {
            // Next to its original (both positions give the same list): the second one is the copy.
            expected = abi.encodeWithSelector(IReserveVaultErrors.SignatureDuplicated.selector, which + 1, copied);
        } else if (position < which) {
            // The copy is in order; the signature after it is below it.
            expected = abi.encodeWithSelector(
                IReserveVaultErrors.SignaturesNotAscending.selector, position + 1, s.chosen[position].account, copied
            );
        } else {
            // The copy comes after larger signers.
            expected = abi.encodeWithSelector(
                IReserveVaultErrors.SignaturesNotAscending.selector, position, copied, s.chosen[position - 1].account
            );
        }
        vm.expectRevert(expected);
        s.vault.queueWithdrawal(s.w, s.slot, _join(sigs));

        _queueAndCheckThresholdRule(s);
    }

    function testFuzz_SwappedAdjacentSignaturesRevert(
        uint256 seed,
        uint256 nRaw,
        uint256 mRaw,
        uint256 mask,
        uint256 whichRaw
    ) external {
        Scenario memory s = _scenario(seed, nRaw, mRaw, mask, 2);
        uint256 k = s.chosen.length;
        vm.assume(k >= 2);

        uint256 i = _bound(whichRaw, 0, k - 2);
        bytes[] memory sigs = _copy(s.sigs);
        (sigs[i], sigs[i + 1]) = (sigs[i + 1], sigs[i]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReserveVaultErrors.SignaturesNotAscending.selector, i + 1, s.chosen[i].account, s.chosen[i + 1].account
            )
        );
        s.vault.queueWithdrawal(s.w, s.slot, _join(sigs));

        _queueAndCheckThresholdRule(s);
    }

    function testFuzz_HighSTwinReverts(uint256 seed, uint256 nRaw, uint256 mRaw, uint256 mask, uint256 whichRaw)
        external
    {
        Scenario memory s = _scenario(seed, nRaw, mRaw, mask, 1);
        uint256 k = s.chosen.length;
        vm.assume(k >= 1);

        uint256 which = _bound(whichRaw, 0, k - 1);
        (uint8 v, bytes32 r, bytes32 lowS) = vm.sign(s.chosen[which].key, s.id);
        _assertTrue(uint256(lowS) <= SECP256K1_ORDER / 2, "vm.sign returns low-s signatures");
        bytes32 highS = bytes32(SECP256K1_ORDER - uint256(lowS));
        uint8 twinV = v == 27 ? 28 : 27;
        // The twin is a genuine signature by the same key: only the low-s rule rejects it.
        _assertEq(ecrecover(s.id, twinV, r, highS), s.chosen[which].account, "ecrecover of the high-s twin");

        bytes[] memory sigs = _copy(s.sigs);
        sigs[which] = abi.encodePacked(r, highS, twinV);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureInvalid.selector, which));
        s.vault.queueWithdrawal(s.w, s.slot, _join(sigs));

        _queueAndCheckThresholdRule(s);
    }

    function testFuzz_LengthNotMultipleOf65Reverts(
        uint256 seed,
        uint256 nRaw,
        uint256 mRaw,
        uint256 mask,
        uint256 lengthRaw
    ) external {
        Scenario memory s = _scenario(seed, nRaw, mRaw, mask, 1);
        bytes memory packed = _join(s.sigs);
        // Truncated or padded by up to one signature.
        uint256 length = _bound(lengthRaw, 0, packed.length + 65);
        vm.assume(length % 65 != 0);
        bytes memory resized = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            resized[i] = i < packed.length ? packed[i] : bytes1(uint8(i));
        }
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignaturesLengthInvalid.selector, length));
        s.vault.queueWithdrawal(s.w, s.slot, resized);

        _queueAndCheckThresholdRule(s);
    }

    // -------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------

    /// @dev A fresh vault of N signers with threshold M, a withdrawal derived from `seed`, and the
    ///      signatures of the signers selected by `mask`. N is at least `minSigners`.
    function _scenario(uint256 seed, uint256 nRaw, uint256 mRaw, uint256 mask, uint256 minSigners)
        private
        returns (Scenario memory s)
    {
        uint256 n = _bound(nRaw, minSigners, MAX_FUZZED_SIGNERS);
        s.threshold = _bound(mRaw, 1, n);
        s.signers = _makeSigners(seed, n);
        s.vault = _deployVault(s.signers, s.threshold, Delays(WITHDRAWAL_DELAY, CONFIG_DELAY, EXECUTION_WINDOW));
        _assertEq(s.vault.signers().length, n, "signer count");
        s.w = _withdrawalFrom(seed);
        s.id = s.vault.withdrawalId(s.w);
        s.slot = uint256(keccak256(abi.encode(seed, "slot")));

        s.chosen = _subset(s.signers, mask);
        s.sigs = _signEach(s.chosen, s.id);
    }

    /// @dev The error an outsider's signature at `position` raises, after `previous`.
    function _outsiderError(uint256 position, address outsider, address previous) private pure returns (bytes memory) {
        if (outsider > previous) {
            return abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, position, outsider);
        }
        return abi.encodeWithSelector(IReserveVaultErrors.SignaturesNotAscending.selector, position, outsider, previous);
    }

    /// @dev Half the seeds withdraw ETH, the others an arbitrary asset address: only the digest matters.
    function _withdrawalFrom(uint256 seed) private pure returns (Withdrawal memory) {
        address asset = seed & 1 == 0 ? address(0) : address(uint160(uint256(keccak256(abi.encode(seed, "asset")))));
        address to = address(uint160(uint256(keccak256(abi.encode(seed, "to")))));
        if (to == address(0)) to = address(1);
        uint256 amount = _bound(uint256(keccak256(abi.encode(seed, "amount"))), 1, type(uint128).max);
        return Withdrawal({asset: asset, to: to, amount: amount, nonce: 0, epoch: FIRST_EPOCH});
    }

    /// @dev The threshold rule for the well-formed set: queued iff k >= M, else ThresholdNotMet(M, k).
    function _queueAndCheckThresholdRule(Scenario memory s) private {
        uint256 k = s.chosen.length;
        bytes memory packed = _join(s.sigs);
        if (k < s.threshold) {
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, s.threshold, k));
            s.vault.queueWithdrawal(s.w, s.slot, packed);
            _assertEq(s.vault.withdrawalNonce(s.w.asset), 0, "nonce after a rejected queue");
            return;
        }
        bytes32 id = s.vault.queueWithdrawal(s.w, s.slot, packed);
        _assertEq(id, s.id, "returned id is the signed digest");
        _assertEq(uint256(s.vault.operationState(id, s.slot)), uint256(OperationState.Queued), "state after queue");
        _assertEq(s.vault.withdrawalNonce(s.w.asset), 1, "nonce after queue");
    }

    function _copy(bytes[] memory items) private pure returns (bytes[] memory out) {
        out = new bytes[](items.length);
        for (uint256 i = 0; i < items.length; ++i) {
            out[i] = items[i];
        }
    }
}
