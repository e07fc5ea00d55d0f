// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Withdrawal} from "../../contracts/interfaces/IReserveVault.sol";
import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {MockERC20} from "../../contracts/test/MockERC20.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";

/// @title Gas snapshot of the withdrawal lifecycle, checked in CI.
/// @notice Each test plays the benchmark's withdrawal (queue with M signatures, execute after the
///         delay) twice to one fresh recipient and records the execution gas of every call in
///         snapshots/withdrawal.json. `npm run gas:snapshot` rewrites it; `.ci/run` fails when a
///         change moves any figure (`hardhat test solidity --snapshot-check`).
/// @dev The figures are execution gas inside one test transaction, so storage and accounts that an
///      earlier call touched are warm: they track regressions, while `npm run bench` (one real
///      transaction per step) gives the absolute figures.
contract WithdrawalGasTest is VaultFuzzBase {
    uint256 private constant SIGNER_SEED = 0x5EED;
    address private constant RECIPIENT = address(0xBEEF);
    uint256 private constant AMOUNT = 1 ether;

    function test_Gas_Eth_2of3() external {
        _lifecycle(3, 2, false, "eth 2-of-3");
    }

    function test_Gas_Eth_3of5() external {
        _lifecycle(5, 3, false, "eth 3-of-5");
    }

    function test_Gas_Eth_5of9() external {
        _lifecycle(9, 5, false, "eth 5-of-9");
    }

    function test_Gas_Erc20_2of3() external {
        _lifecycle(3, 2, true, "erc20 2-of-3");
    }

    function _lifecycle(uint256 n, uint256 m, bool erc20, string memory label) private {
        Signer[] memory signers = _makeSigners(SIGNER_SEED, n);
        ReserveVault vault =
            _deployVault(signers, m, Delays({withdrawal: 1 days, config: 2 days, window: 7 days}));
        address asset = address(0);
        if (erc20) {
            MockERC20 token = new MockERC20("Gas Token", "GAS", 18);
            token.mint(address(vault), 10 * AMOUNT);
            asset = address(token);
        } else {
            vm.deal(address(vault), 10 * AMOUNT);
        }
        Signer[] memory quorum = _subset(signers, (1 << m) - 1);
        string[2] memory rounds = ["first", "warm"];
        // The clock is kept in a local: under via-IR, `block.timestamp` may not be re-read after vm.warp.
        uint256 now_ = 1_700_000_000;
        vm.warp(now_);
        for (uint32 round = 0; round < 2; ++round) {
            Withdrawal memory w = Withdrawal({asset: asset, to: RECIPIENT, amount: AMOUNT, nonce: round, epoch: 1});
            bytes memory signatures = _join(_signEach(quorum, vault.withdrawalId(w)));
            vault.queueWithdrawal(w, 0, signatures);
            vm.snapshotGasLastCall("withdrawal", string.concat(label, " ", rounds[round], " queue"));
            now_ += 1 days;
            vm.warp(now_);
            vault.executeWithdrawal(w, 0);
            vm.snapshotGasLastCall("withdrawal", string.concat(label, " ", rounds[round], " execute"));
        }
        _assertEq(erc20 ? MockERC20(asset).balanceOf(RECIPIENT) : RECIPIENT.balance, 2 * AMOUNT, "recipient paid twice");
    }
}
